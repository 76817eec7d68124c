'use strict';
/* 指挥中心: one page, hash routes, no build step. Every element is built with textContent (no HTML from data). */
(function () {
  const main = document.getElementById('main');
  const flash = document.getElementById('flash');
  let me = null;
  let current = { view: '', refresh: null, caseId: null };

  // ---- helpers -------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
    return el;
  }
  const fmt = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
  const pct = (v) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}%`);
  const STREET_RATINGS = { satisfied: '满意', basically: '基本满意', dissatisfied: '不满意' };
  const ASSIGNMENT_STATES = { pending: '待接哨', accepted: '办理中', returned: '已退回', done: '已办结', withdrawn: '已撤回' };
  const LIGHT_NAMES = { red: '红灯：已超期', yellow: '黄灯：临近期限', none: '正常' };
  const light = (l) => h('span', { class: `light ${l}`, role: 'img', 'aria-label': LIGHT_NAMES[l], title: LIGHT_NAMES[l] });
  function say(message, isError) {
    flash.textContent = message;
    flash.className = isError ? 'error' : '';
    if (!isError) setTimeout(() => { if (flash.textContent === message) flash.textContent = ''; }, 4000);
  }
  async function api(path, options) {
    const init = Object.assign({ credentials: 'same-origin', headers: {} }, options || {});
    if (init.body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(init.body); }
    if (init.method && init.method !== 'GET' && me) init.headers['x-csrf-token'] = me.csrf;
    const response = await fetch(path, init);
    if (response.status === 401) { location.href = `/console/login?next=${encodeURIComponent('/console' + location.hash)}`; throw new Error('登录已失效'); }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error((body.error && body.error.message) || `请求失败（${response.status}）`);
    return body;
  }
  const table = (head, rows, caption) => h('div', { class: 'scroll' }, h('table', {}, caption ? h('caption', { class: 'muted' }, caption) : null,
    h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col' }, x)))), h('tbody', {}, rows)));
  const nameOf = (list, code) => (list.find((x) => x.code === code) || { name: code }).name;
  const query = () => new URLSearchParams(location.hash.split('?')[1] || '');
  function field(label, control) { return h('label', {}, label, control); }
  function select(name, options, value, extra) {
    return h('select', Object.assign({ name }, extra || {}), options.map(([v, t]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, t)));
  }

  // ---- board ---------------------------------------------------------------------------------
  async function board() {
    const b = await api('/console/api/board');
    const tile = (label, n, cls, href) => h('a', { class: `tile ${cls || ''}`, href: href || '#/cases', style: 'text-decoration:none;color:inherit' }, h('span', { class: 'n', 'data-figure': label }, n), label);
    const byState = Object.entries(b.byState).map(([s, n]) => h('tr', {}, h('td', {}, nameOf(me.states, s)), h('td', {}, n)));
    const counts = (rows, key) => rows.map((r) => h('tr', {}, h('td', {}, r.name), h('td', {}, r.open), h('td', {}, r.red), h('td', {}, r.yellow), h('td', {}, r.today)));
    main.replaceChildren(h('div', { id: 'board', 'data-generated': b.generatedAt },
      h('h2', {}, '指挥大屏 ', h('small', { class: 'muted' }, `更新于 ${fmt(b.generatedAt)}`)),
      b.storeNotice ? h('p', { class: 'notice', role: 'alert', id: 'store-notice' }, `数据库容量提醒：${b.storeNotice}`) : null,
      h('div', { class: 'tiles' },
        tile('在办案件', b.open, '', '#/cases?state=open'), tile('红灯（超期）', b.red, 'red', '#/cases?light=red'), tile('黄灯（临期）', b.yellow, 'yellow', '#/cases?light=yellow'),
        tile('今日受理', b.todayIntake), tile('今日结案', b.todayClosed), tile('疑难件', b.hardCases, '', '#/cases?hard=1'), tile('区级督办', b.escalated)),
      h('div', { class: 'board-body grid2' },
        h('section', { class: 'panel', 'aria-labelledby': 'by-state' }, h('h2', { id: 'by-state' }, '在办案件状态'), table(['状态', '件数'], byState)),
        h('section', { class: 'panel', 'aria-labelledby': 'alerts' }, h('h2', { id: 'alerts' }, '红黄灯预警'),
          b.alerts.length === 0 ? h('p', { class: 'muted' }, '没有超期或临期的案件') :
            table(['', '编号', '类别', '地点', '部门', '期限'], b.alerts.map((a) => h('tr', {}, h('td', {}, light(a.light)), h('td', {}, h('a', { href: `#/case/${a.id}` }, a.number)), h('td', {}, a.categoryName), h('td', {}, a.locationText || ''), h('td', {}, a.departmentNames.join('、')), h('td', {}, fmt(a.due)))))),
        h('section', { class: 'panel', 'aria-labelledby': 'by-street' }, h('h2', { id: 'by-street' }, '按街道'), table(['街道', '在办', '红灯', '黄灯', '今日受理'], counts(b.byStreet))),
        h('section', { class: 'panel', 'aria-labelledby': 'by-dept' }, h('h2', { id: 'by-dept' }, '按部门'), table(['部门', '在办', '红灯', '黄灯', '今日受理'], counts(b.byDepartment))))));
  }

  // ---- cases ---------------------------------------------------------------------------------
  async function cases() {
    const q = query();
    const params = new URLSearchParams(q);
    if (!params.get('pageSize')) params.set('pageSize', '20');
    const page = await api(`/console/api/cases?${params}`);
    const form = h('form', { class: 'filters panel', role: 'search', 'aria-label': '筛选案件', onsubmit: (e) => { e.preventDefault(); const p = new URLSearchParams(); for (const [k, v] of new FormData(e.target)) if (v) p.set(k, v); location.hash = `#/cases?${p}`; } },
      field('搜索（编号、地点、内容）', h('input', { name: 'q', type: 'search', value: q.get('q') || '' })),
      field('状态', select('state', [['', '全部'], ['open', '在办'], ...me.states.map((s) => [s.code, s.name])], q.get('state'))),
      field('类别', select('category', [['', '全部'], ...me.categories.map((c) => [c.code, c.name])], q.get('category'))),
      field('紧急程度', select('urgency', [['', '全部'], ['emergency', '应急哨'], ['key', '攻坚哨'], ['daily', '日常哨']], q.get('urgency'))),
      field('部门', select('dept', [['', '全部'], ...me.departments.map((d) => [d.code, d.name])], q.get('dept'))),
      field('街道', select('street', [['', '全部'], ...me.streets.map((s) => [s.id, s.name])], q.get('street'))),
      field('社区', select('community', [['', '全部'], ...me.streets.flatMap((s) => s.communities.map((c) => [c.id, c.name]))], q.get('community'))),
      field('上报起', h('input', { name: 'from', type: 'date', value: q.get('from') || '' })),
      field('上报止', h('input', { name: 'to', type: 'date', value: q.get('to') || '' })),
      field('红黄灯', select('light', [['', '全部'], ['red', '红灯（超期）'], ['yellow', '黄灯（临期）']], q.get('light'))),
      field('疑难件', select('hard', [['', '全部'], ['1', '是'], ['0', '否']], q.get('hard'))),
      field('排序', select('sort', [['createdAt', '上报时间'], ['due', '期限'], ['urgency', '紧急程度'], ['number', '编号'], ['updatedAt', '最近变化']], q.get('sort'))),
      field('顺序', select('order', [['desc', '降序'], ['asc', '升序']], q.get('order'))),
      h('button', { type: 'submit', class: 'primary' }, '筛选'),
      h('a', { class: 'button', id: 'export', href: `/console/api/cases/export.xlsx?${params}` }, '导出 Excel'));
    const rows = page.items.map((c) => h('tr', { 'data-case': c.number },
      h('td', {}, light(c.light)), h('td', {}, h('a', { href: `#/case/${c.id}` }, c.number)), h('td', {}, c.stateName), h('td', {}, c.categoryName),
      h('td', {}, c.urgencyName), h('td', {}, c.locationText || ''), h('td', { class: 'hide-phone' }, c.streetName), h('td', {}, c.departments.map((d) => d.name).join('、')),
      h('td', { class: 'hide-phone' }, fmt(c.due)), h('td', {}, fmt(c.createdAt), c.hardCase ? h('span', { class: 'badge' }, '疑难') : null)));
    const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
    const go = (n) => { params.set('page', String(n)); location.hash = `#/cases?${params}`; };
    main.replaceChildren(h('h2', {}, '案件'), form,
      h('section', { class: 'panel' }, h('p', { id: 'total', 'aria-live': 'polite' }, page.totalIsLowerBound ? `至少 ${page.total} 件（搜索只数到这里，请加筛选条件缩小范围），第 ${page.page} 页` : `共 ${page.total} 件，第 ${page.page}/${pages} 页`),
        table(['', '编号', '状态', '类别', '紧急', '地点', '街道', '承办部门', '期限', '上报时间'], rows),
        h('div', { class: 'pager' }, h('button', { type: 'button', disabled: page.page <= 1, onclick: () => go(page.page - 1) }, '上一页'), h('button', { type: 'button', disabled: !page.totalIsLowerBound && page.page >= pages, onclick: () => go(page.page + 1) }, '下一页'))));
  }

  // ---- case detail ---------------------------------------------------------------------------
  const ACTION_LABELS = { whistle: '吹哨派单', reassign: '改派部门', accept: '接哨报到', return: '退回', decideExtension: '审批延期', verify: '核实结果', rateDepartment: '评价部门', escalateToDistrict: '提请区级督办', markHardCase: '列为疑难件', resolveHardCase: '解除疑难件', releaseReporter: '向部门公开反映人信息', cancel: '撤销案件' };
  function actionForm(c, type) {
    const id = `act-${type}`;
    const inputs = [];
    if (type === 'whistle' || type === 'reassign') {
      inputs.push(field('牵头部门', select('lead', me.departments.map((d) => [d.code, d.name]), (c.assignments.find((a) => a.role === 'lead') || {}).deptCode, { id: `${id}-lead` })));
      inputs.push(h('fieldset', {}, h('legend', {}, '协办部门'), me.departments.map((d) => h('label', {}, h('input', { type: 'checkbox', name: 'assist', value: d.code }), d.name))));
    } else if (type === 'decideExtension') {
      const pending = c.assignments.find((a) => a.pendingExtension);
      inputs.push(h('p', {}, pending ? `${pending.department} 申请延期至 ${fmt(pending.pendingExtension.requestedDueAt)}：${pending.pendingExtension.reason}` : ''));
      inputs.push(h('input', { type: 'hidden', name: 'deptCode', value: pending ? pending.deptCode : '' }));
      inputs.push(field('审批', select('approve', [['true', '同意'], ['false', '不同意']], 'true')));
      inputs.push(field('说明', h('input', { name: 'note' })));
    } else if (type === 'verify') {
      inputs.push(field('核实结果', select('outcome', [['solved', '已解决，结案'], ['reopen', '未解决，退回重办'], ['unsolvable', '确实无法解决，结案']], 'solved')));
      inputs.push(field('说明', h('input', { name: 'note' })));
    } else if (type === 'rateDepartment') {
      const unrated = c.assignments.filter((a) => a.state === 'done' && !c.assignments.some((b) => b.deptCode === a.deptCode && b.streetRating));
      inputs.push(field('部门', select('deptCode', unrated.map((a) => [a.deptCode, a.department]), (unrated[0] || {}).deptCode, { id: `${id}-dept` })));
      inputs.push(field('评价', select('value', [['satisfied', '满意'], ['basically', '基本满意'], ['dissatisfied', '不满意']], 'satisfied', { id: `${id}-value` })));
      inputs.push(field('评价说明（不满意时必填）', h('input', { name: 'comment' })));
    } else if (type !== 'accept') {
      inputs.push(field('理由', h('textarea', { name: 'reason', rows: 2, cols: 30, required: true })));
    }
    return h('form', { id, 'aria-label': ACTION_LABELS[type], onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      const body = { type, commandId: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}` };
      if (type === 'whistle' || type === 'reassign') body.departments = [data.get('lead'), ...data.getAll('assist').filter((d) => d !== data.get('lead'))];
      else if (type === 'decideExtension') Object.assign(body, { deptCode: data.get('deptCode'), approve: data.get('approve') === 'true', note: data.get('note') || undefined });
      else if (type === 'verify') Object.assign(body, { outcome: data.get('outcome'), note: data.get('note') || undefined });
      else if (type === 'rateDepartment') Object.assign(body, { deptCode: data.get('deptCode'), value: data.get('value'), comment: data.get('comment') || undefined });
      else if (type !== 'accept') body.reason = data.get('reason');
      try {
        const r = await api(`/console/api/cases/${c.id}/actions`, { method: 'POST', body });
        say(`已${ACTION_LABELS[type]}：${r.number}`);
        await detail(c.id);
      } catch (error) { say(error.message, true); }
    } }, inputs, h('button', { type: 'submit', class: 'primary' }, ACTION_LABELS[type]));
  }
  async function detail(id, live) {
    const c = await api(`/console/api/cases/${id}`);
    // A live refresh leaves a form someone is filling in alone (they see the change after their action).
    if (live && current.editing) return;
    current.caseId = c.id;
    current.editing = false;
    const map = h('div', { class: 'minimap', id: 'case-map', role: 'img', 'aria-label': `案件位置：${c.locationText || '未提供'}` });
    main.replaceChildren(h('article', { id: 'case', 'data-state': c.state, 'data-version': c.version },
      h('h2', {}, light(c.light), `${c.number} ${c.categoryName}`, c.hardCase && !c.hardCase.resolved ? h('span', { class: 'badge' }, '疑难件') : null, c.districtEscalation ? h('span', { class: 'badge' }, '区级督办') : null),
      h('div', { class: 'grid2' },
        h('section', { class: 'panel' }, h('dl', { class: 'facts' },
          h('dt', {}, '状态'), h('dd', { id: 'case-state' }, c.stateName), h('dt', {}, '紧急程度'), h('dd', {}, c.urgencyName),
          h('dt', {}, '地点'), h('dd', {}, c.locationText || '—'), h('dt', {}, '街道/社区'), h('dd', {}, `${c.streetName} ${c.communityName}`),
          h('dt', {}, '反映内容'), h('dd', {}, c.text), h('dt', {}, '反映人'), h('dd', { id: 'reporter' }, c.reporter.name || '—', c.reporter.mobile ? ` ${c.reporter.mobile}` : ''),
          h('dt', {}, '上报时间'), h('dd', {}, fmt(c.createdAt)), h('dt', {}, '结案时间'), h('dd', {}, fmt(c.closedAt)))),
        h('section', { class: 'panel' }, h('h2', {}, '位置'), map)),
      h('section', { class: 'panel' }, h('h2', {}, '期限'), c.deadlines.length === 0 ? h('p', { class: 'muted' }, '没有进行中的期限') :
        table(['', '环节', '部门', '开始', '期限'], c.deadlines.map((d) => h('tr', {}, h('td', {}, light(d.light)), h('td', {}, { accept: '接哨', finish: '办结', verify: '核实' }[d.kind]), h('td', {}, d.department || ''), h('td', {}, fmt(d.since)), h('td', {}, fmt(d.due)))))),
      h('section', { class: 'panel' }, h('h2', {}, '承办部门'), table(['部门', '角色', '状态', '接哨', '办结', '结果', '街道评价'], c.assignments.map((a) => h('tr', {}, h('td', {}, a.department), h('td', {}, a.role === 'lead' ? '牵头' : '协办'), h('td', {}, ASSIGNMENT_STATES[a.state] || a.state), h('td', {}, a.acceptedBy ? `${a.acceptedBy} ${fmt(a.acceptedAt)}` : `期限 ${fmt(a.acceptDueAt)}`), h('td', {}, a.doneAt ? fmt(a.doneAt) : `期限 ${fmt(a.finishDueAt)}`), h('td', {}, a.resultText || a.returnReason || ''), h('td', { class: 'street-rating' }, a.streetRating ? `${STREET_RATINGS[a.streetRating.value]}${a.streetRating.comment ? `：${a.streetRating.comment}` : ''}` : ''))))),
      h('section', { class: 'panel' }, h('h2', {}, '照片'), h('h3', {}, '处理前'), h('div', { class: 'photos' }, c.photos.before.map((p, i) => h('img', { src: p.url, alt: `处理前照片 ${i + 1}` })), c.photos.before.length ? null : h('span', { class: 'muted' }, '无')),
        h('h3', {}, '处理后'), h('div', { class: 'photos' }, c.photos.after.map((p, i) => h('img', { src: p.url, alt: `${p.department}处理后照片 ${i + 1}` })), c.photos.after.length ? null : h('span', { class: 'muted' }, '无'))),
      h('section', { class: 'panel actions', 'aria-labelledby': 'actions-title' }, h('h2', { id: 'actions-title' }, '操作'), c.actions.length === 0 ? h('p', { class: 'muted' }, '您对该案件没有可做的操作') : c.actions.map((a) => actionForm(c, a))),
      h('section', { class: 'panel' }, h('h2', {}, '时间线'), h('ol', { class: 'timeline' }, c.timeline.map((e) => h('li', {}, h('time', { datetime: e.at }, fmt(e.at)), h('strong', {}, e.name), ` ${e.actor}（${e.role}）`, e.department ? ` · ${e.department}` : '', Object.keys(e.details).length ? h('div', { class: 'muted' }, Object.values(e.details).filter((v) => v !== null && v !== '').join('；')) : null))))));
    drawMap(map, c.lat !== null ? [{ lat: c.lat, lng: c.lng, light: c.light, label: c.number }] : [], 16);
  }

  // ---- map -----------------------------------------------------------------------------------
  const LIGHT_COLOURS = { red: '#d93025', yellow: '#e6a700', none: '#1e8e3e' };
  function drawMap(el, points, zoom, heat) {
    if (typeof L === 'undefined') return null;
    const m = L.map(el, { keyboard: true }).setView(points[0] ? [points[0].lat, points[0].lng] : me.map.center, zoom || me.map.zoom);
    if (me.map.tileUrl) L.tileLayer(me.map.tileUrl, { attribution: me.map.tileAttribution, maxZoom: 18 }).addTo(m);
    L.geoJSON(me.map.outline, { style: { color: '#1a56db', weight: 2, fillOpacity: 0.05 } }).addTo(m);
    for (const p of points) {
      const marker = L.circleMarker([p.lat, p.lng], { radius: 7, color: LIGHT_COLOURS[p.light], fillOpacity: 0.8 }).addTo(m);
      marker.bindTooltip(p.label);
      if (p.id) marker.on('click', () => { location.hash = `#/case/${p.id}`; });
    }
    if (heat && heat.length && L.heatLayer) L.heatLayer(heat, { radius: 25 }).addTo(m);
    return m;
  }
  async function mapView() {
    const q = query();
    const params = new URLSearchParams(q);
    if (!params.get('state')) params.set('state', 'open');
    const month = q.get('month') || new Date().toISOString().slice(0, 7);
    const [data, spots] = await Promise.all([api(`/console/api/map?${params}`), api(`/console/api/hotspots?month=${month}`)]);
    const showHeat = q.get('heat') !== '0';
    const form = h('form', { class: 'filters panel', 'aria-label': '地图筛选', onsubmit: (e) => { e.preventDefault(); const p = new URLSearchParams(); for (const [k, v] of new FormData(e.target)) if (v) p.set(k, v); if (!e.target.heat.checked) p.set('heat', '0'); location.hash = `#/map?${p}`; } },
      field('类别', select('category', [['', '全部'], ...me.categories.map((c) => [c.code, c.name])], q.get('category'))),
      field('状态', select('state', [['open', '在办'], ['closed', '已结案'], ['triage,community,whistled,in_progress,awaiting_verification,closed', '全部']], params.get('state'))),
      field('上报起', h('input', { name: 'from', type: 'date', value: q.get('from') || '' })), field('上报止', h('input', { name: 'to', type: 'date', value: q.get('to') || '' })),
      field('热点月份', h('input', { name: 'month', type: 'month', value: month })),
      h('label', {}, h('input', { type: 'checkbox', name: 'heat', checked: showHeat }), '显示热力图'),
      h('button', { type: 'submit', class: 'primary' }, '更新'));
    const el = h('div', { id: 'map', role: 'region', 'aria-label': `案件地图，共 ${data.total} 个点` });
    main.replaceChildren(h('h2', {}, '案件地图'), form, h('div', { class: 'grid2' }, el,
      h('div', {}, h('section', { class: 'panel', 'aria-labelledby': 'hot' }, h('h2', { id: 'hot' }, '高发点位（未诉先办）'),
        spots.hotspots.length === 0 ? h('p', { class: 'muted' }, '本月没有同一地点反复出现的问题') :
          table(['类别', '地点', '次数', '在办', '最近'], spots.hotspots.map((s) => h('tr', {}, h('td', {}, s.categoryName), h('td', {}, s.place), h('td', {}, s.count), h('td', {}, s.open), h('td', {}, fmt(s.lastAt)))))),
      h('section', { class: 'panel', 'aria-labelledby': 'top' }, h('h2', { id: 'top' }, '本月高发问题'), table(['类别', '件数'], spots.topIssues.map((t) => h('tr', {}, h('td', {}, t.name), h('td', {}, t.count))))))));
    drawMap(el, data.markers.map((m) => ({ ...m, label: `${m.number} ${m.categoryName} ${m.locationText || ''}` })), me.map.zoom, showHeat ? data.heat : []);
  }

  // ---- rankings and report -------------------------------------------------------------------
  function assessmentForm(q, target) {
    const w = me.assessment.weights;
    return h('form', { class: 'filters panel no-print', 'aria-label': '考核设置', onsubmit: (e) => { e.preventDefault(); const p = new URLSearchParams(); for (const [k, v] of new FormData(e.target)) if (v !== '') p.set(k, v); location.hash = `#/${target}?${p}`; } },
      field('月份', h('input', { name: 'month', type: 'month', value: q.get('month') || new Date().toISOString().slice(0, 7) })),
      field('响应率权重 %', h('input', { name: 'wResponse', type: 'number', min: 0, max: 100, value: q.get('wResponse') || w.response })),
      field('解决率权重 %', h('input', { name: 'wResolution', type: 'number', min: 0, max: 100, value: q.get('wResolution') || w.resolution })),
      field('满意率权重 %', h('input', { name: 'wSatisfaction', type: 'number', min: 0, max: 100, value: q.get('wSatisfaction') || w.satisfaction })),
      field('街道评价权重 %', h('input', { name: 'wStreet', type: 'number', min: 0, max: 100, value: q.get('wStreet') || w.street || 0 })),
      field('最少案件数', h('input', { name: 'minCases', type: 'number', min: 0, value: q.get('minCases') || me.assessment.minCases })),
      h('button', { type: 'submit', class: 'primary' }, '计算'));
  }
  const reportRows = (rows) => rows.map((r) => h('tr', { 'data-dept': r.deptCode }, h('td', {}, r.rank ?? '—'), h('td', {}, r.deptName), h('td', {}, r.whistlesReceived), h('td', {}, pct(r.responseRate)), h('td', {}, pct(r.onTimeCompletionRate)), h('td', {}, pct(r.resolutionRate)), h('td', {}, pct(r.satisfactionRate)), h('td', {}, r.returns), h('td', {}, r.reopens), h('td', {}, pct(r.whistleReasonableRate)), h('td', {}, r.streetRated), h('td', {}, pct(r.streetSatisfactionRate)), h('td', {}, r.score ?? '未排名')));
  const REPORT_HEAD = ['排名', '部门', '接哨', '响应率', '按时办结率', '解决率', '满意率', '退回', '重办', '吹哨合理率', '街道评价', '街道评价满意率', '综合得分'];
  async function rankings() {
    const q = query();
    const r = await api(`/console/api/rankings?${q}`);
    const chart = h('div', { class: 'chart', id: 'trend', role: 'img', 'aria-label': '近六个月各部门综合得分趋势' });
    main.replaceChildren(h('h2', {}, `考核排名 ${r.title}`), assessmentForm(q, 'rankings'),
      h('section', { class: 'panel' }, h('p', { class: 'muted' }, r.weights), table(REPORT_HEAD, reportRows(r.rows)),
        h('p', {}, h('a', { class: 'button', href: `#/report?${q}` }, '月报（可打印）'), ' ', h('a', { class: 'button', href: `/console/api/report.xlsx?${q}` }, '下载月报 Excel'))),
      h('section', { class: 'panel' }, h('h2', {}, '得分趋势'), chart));
    if (typeof echarts !== 'undefined') {
      const depts = [...new Set(r.trend.flatMap((t) => Object.keys(t.scores)))];
      echarts.init(chart).setOption({ tooltip: { trigger: 'axis' }, legend: { type: 'scroll' }, xAxis: { type: 'category', data: r.trend.map((t) => t.month) }, yAxis: { type: 'value', min: 0, max: 100 },
        series: depts.map((d) => ({ name: nameOf(me.departments, d), type: 'line', connectNulls: true, data: r.trend.map((t) => t.scores[d] ?? null) })), aria: { enabled: true } });
    }
  }
  async function report() {
    const q = query();
    const r = await api(`/console/api/report?${q}`);
    main.replaceChildren(h('article', { id: 'report' }, h('h2', {}, r.title), assessmentForm(q, 'report'),
      h('p', { class: 'no-print' }, h('button', { type: 'button', onclick: () => window.print() }, '打印'), ' ', h('a', { class: 'button', id: 'report-xlsx', href: `/console/api/report.xlsx?${q}` }, '下载 Excel')),
      h('p', {}, `统计区间：${fmt(r.period.from)} 至 ${fmt(r.period.to)}（不含）。${r.weights}`),
      h('section', { class: 'panel' }, table(REPORT_HEAD, reportRows(r.rows))),
      h('section', { class: 'panel' }, h('h2', {}, '合计'), table(Object.keys(r.totals), [h('tr', {}, Object.values(r.totals).map((v) => h('td', {}, v)))])),
      h('section', { class: 'panel' }, h('h2', {}, '本月高发问题'), table(['类别', '件数'], r.topIssues.map((t) => h('tr', {}, h('td', {}, t.name), h('td', {}, t.count)))))));
  }
  // ---- alliance (联盟报到) --------------------------------------------------------------------
  const stars = (n) => (n > 0 ? '★'.repeat(n) : '—');
  async function alliance() {
    const q = query();
    const r = await api(`/console/api/alliance${q.get('year') ? `?year=${encodeURIComponent(q.get('year'))}` : ''}`);
    const quota = (p) => (p.quota ? h('span', { class: p.quota.met ? 'met' : 'behind' }, p.quota.text) : '—');
    const rows = r.participants.map((p) => h('tr', { 'data-participant': p.id }, h('td', {}, p.rank), h('td', {}, p.name), h('td', {}, p.kindName),
      h('td', {}, p.orgName || p.homeOrganisation || '—'), h('td', {}, p.streetName), h('td', { class: 'quota' }, quota(p)), h('td', {}, p.activities), h('td', {}, p.hours),
      h('td', {}, p.members ? `${p.members.count} 人 / ${p.members.hours} 小时` : '—'), h('td', {}, p.points), h('td', {}, p.redeemed), h('td', { 'aria-label': `${p.stars} 星` }, stars(p.stars))));
    const behind = r.participants.filter((p) => p.quota && !p.quota.met).length;
    const form = !r.mayRegister ? null : h('form', { id: 'register-participant', class: 'panel filters', 'aria-labelledby': 'register-title', onsubmit: async (e) => {
      e.preventDefault();
      const data = new FormData(e.target);
      const body = { id: data.get('id'), kind: data.get('kind'), name: data.get('name'), skills: String(data.get('skills') || '').split(/[,，、\s]+/).filter(Boolean) };
      for (const key of ['wecomUserId', 'orgId', 'homeOrganisation', 'streetId', 'communityId']) if (data.get(key)) body[key] = data.get(key);
      try {
        const created = await api('/console/api/alliance/participants', { method: 'POST', body });
        say(`已登记：${created.participant.name}`);
        await alliance();
      } catch (error) { say(error.message, true); }
    } },
      h('h2', { id: 'register-title', style: 'flex-basis: 100%' }, '登记报到对象'),
      field('类型', select('kind', r.kinds.map((k) => [k.code, k.name]), 'alliance_unit', { id: 'reg-kind' })),
      field('编号（字母数字）', h('input', { name: 'id', id: 'reg-id', required: true, pattern: '[A-Za-z0-9_-]{1,64}' })),
      field('名称/姓名', h('input', { name: 'name', id: 'reg-name', required: true, maxlength: 60 })),
      field('企业微信账号（可不填）', h('input', { name: 'wecomUserId', id: 'reg-wecom' })),
      field('所属单位或组织', select('orgId', [['', '无'], ...r.organisations.map((o) => [o.id, o.name])], '', { id: 'reg-org' })),
      field('党员所在党组织（双报到）', h('input', { name: 'homeOrganisation', id: 'reg-home', maxlength: 100 })),
      field('街道', select('streetId', me.streets.map((s) => [s.id, s.name]), (me.streets[0] || {}).id, { id: 'reg-street' })),
      field('社区', select('communityId', [['', '—'], ...me.streets.flatMap((s) => s.communities.map((c) => [c.id, `${s.name} ${c.name}`]))], '', { id: 'reg-community' })),
      field('技能（逗号分隔）', h('input', { name: 'skills', id: 'reg-skills' })),
      h('button', { type: 'submit', class: 'primary' }, '登记'));
    main.replaceChildren(h('h2', {}, `联盟报到 ${r.year} 年`),
      h('p', { id: 'alliance-summary' }, `共 ${r.participants.length} 个报到对象，${behind} 个未完成年度任务。`),
      h('section', { class: 'panel', 'aria-labelledby': 'alliance-figures' }, h('h2', { id: 'alliance-figures' }, '年度任务进度与积分排名'),
        table(['排名', '名称', '类型', '所属单位/党组织', '街道', '年度任务', '参加活动', '服务小时', '成员', '积分', '已兑换', '星级'], rows)),
      form);
  }
  async function audit() {
    const r = await api('/console/api/audit?limit=200');
    main.replaceChildren(h('h2', {}, '操作日志'), h('section', { class: 'panel' }, table(['时间', '人员', '操作', '对象', '结果', '说明', '来源'], r.entries.map((e) => h('tr', {}, h('td', {}, fmt(e.at)), h('td', {}, e.userName || e.userId), h('td', {}, e.action), h('td', {}, e.target || ''), h('td', {}, e.outcome === 'ok' ? '成功' : '拒绝'), h('td', {}, e.detail || ''), h('td', {}, e.ip))))));
  }

  // ---- routing and live updates --------------------------------------------------------------
  const VIEWS = { board, cases, map: mapView, rankings, report, alliance, audit };
  async function route() {
    const [path] = location.hash.replace(/^#\/?/, '').split('?');
    const [view, id] = path.split('/');
    const name = view === 'case' && id ? 'case' : VIEWS[view] ? view : 'board';
    current = { view: name, caseId: id || null };
    for (const a of document.querySelectorAll('nav a')) {
      if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    try {
      if (name === 'case') await detail(id); else await VIEWS[name]();
    } catch (error) { say(error.message, true); }
  }
  let pending = null;
  function listen() {
    const events = new EventSource('/console/api/events');
    events.addEventListener('case', (e) => {
      const changed = JSON.parse(e.data);
      if (current.view === 'case' && current.caseId !== changed.id) return;
      if (!['board', 'cases', 'case'].includes(current.view)) return;
      clearTimeout(pending);
      pending = setTimeout(() => { if (current.view === 'case') detail(current.caseId, true).catch(() => {}); else VIEWS[current.view]().catch(() => {}); }, 250);
    });
  }
  document.getElementById('logout').addEventListener('click', async () => { await api('/console/api/logout', { method: 'POST' }).catch(() => {}); location.href = '/console/login'; });
  window.addEventListener('hashchange', route);
  for (const type of ['input', 'change']) main.addEventListener(type, () => { if (current.view === 'case') current.editing = true; });
  api('/console/api/me').then((who) => {
    me = who;
    document.getElementById('who').textContent = `${who.name}`;
    document.getElementById('nav-audit').hidden = !who.admin;
    document.getElementById('nav-alliance').hidden = who.scope.kind === 'department';
    route();
    listen();
  }).catch((error) => say(error.message, true));
})();
