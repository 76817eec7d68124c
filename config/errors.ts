/** Raised when configuration is missing or invalid; the message names every bad key and what to do. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the variables above (see the configuration table in README.md) and start again.`);
    this.name = 'ConfigError';
  }
}
