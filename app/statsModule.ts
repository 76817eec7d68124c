import { loadDistrictSeed } from '../config/district';
import type { CaseRepository } from '../store/caseRepository';
import { statsRouter } from '../web/stats/router';
import type { AppModule, Infrastructure } from './runtime';

/** The statistics API (`/api/stats`, web role): the store's department figures for the district. */
export function statsModule(infra: Infrastructure, repository: CaseRepository): AppModule {
  return {
    routers() {
      const districtId = loadDistrictSeed(infra.env.DISTRICT_CONFIG).district.id;
      return [statsRouter({ token: infra.env.STATS_API_TOKEN, query: (period) => repository.departmentStats({ ...period, districtId }) })];
    },
  };
}
