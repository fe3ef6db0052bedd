// prefpipe data-quality dashboard: polls the monitor's state and redraws the charts with ECharts.
(function () {
  'use strict';
  const STATE_URL = '/dashboard/api/state';
  const POLL_MILLIS = 2000;
  const FLAG_COLORS = { SPAMMER: '#d97706', ADVERSARIAL: '#dc2626', POSITION_BIASED: '#7c3aed' };

  // What the page last fetched and drew; tests and curious people read it from the console.
  const dashboard = { state: null, updates: 0, errors: 0, charts: {} };
  window.prefpipeDashboard = dashboard;

  document.querySelectorAll('[data-chart]').forEach(function (el) {
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    // redrawn every poll: animating each redraw would only make the figures wobble
    chart.setOption({ animation: false });
    dashboard.charts[el.dataset.chart] = chart;
  });
  window.addEventListener('resize', function () {
    Object.values(dashboard.charts).forEach(function (c) { c.resize(); });
  });

  function fmt(v, digits) {
    if (v === null || v === undefined) return '–';
    return typeof digits === 'number' ? v.toFixed(digits) : v.toLocaleString('en');
  }

  function time(ms) { return new Date(ms); }

  function binLabels(h, digits) {
    return h.counts.map(function (_, i) {
      const last = i === h.counts.length - 1;
      return h.edges[i].toFixed(digits) + (last ? '+' : '–' + h.edges[i + 1].toFixed(digits));
    });
  }

  function text(id, value) { document.getElementById(id).textContent = value; }

  function tiles(s) {
    const last = s.throughput.length ? s.throughput[s.throughput.length - 1] : null;
    const noise = s.labelNoise.length ? s.labelNoise[s.labelNoise.length - 1] : null;
    text('tile-feedback', fmt(s.stages.feedbackEvents));
    text('tile-rate', last && last.eventsPerSecond !== null ? fmt(last.eventsPerSecond, 1) : '–');
    text('tile-lag', fmt(s.stages.consumerLag));
    text('tile-pairs', fmt(s.stages.pairs));
    text('tile-dlq', fmt(s.stages.deadLetters));
    text('tile-noise', noise ? fmt(noise.judgementFlipRate, 3) : '–');
    text('tile-agreement', fmt(s.pairs.meanAgreement, 3));
    text('tile-flagged', fmt(s.annotators.filter(function (a) { return a.flags.length > 0; }).length));
  }

  function throughput(s) {
    const t = s.throughput;
    const series = [
      { name: 'ingest rate (events/s)', type: 'line', yAxisIndex: 0, showSymbol: false,
        data: t.filter(function (p) { return p.eventsPerSecond !== null; })
          .map(function (p) { return [time(p.timeMillis), p.eventsPerSecond]; }) },
      { name: 'feedback events', type: 'line', yAxisIndex: 1, showSymbol: false,
        data: t.map(function (p) { return [time(p.timeMillis), p.feedbackEvents]; }) },
      { name: 'read by curation', type: 'line', yAxisIndex: 1, showSymbol: false,
        data: t.filter(function (p) { return p.curationEventsIn !== null; })
          .map(function (p) { return [time(p.timeMillis), p.curationEventsIn]; }) },
      { name: 'consumer lag', type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: { type: 'dashed' },
        data: t.filter(function (p) { return p.consumerLag !== null; })
          .map(function (p) { return [time(p.timeMillis), p.consumerLag]; }) },
      { name: 'curated pairs', type: 'line', yAxisIndex: 1, showSymbol: false,
        data: t.map(function (p) { return [time(p.timeMillis), p.pairs]; }) },
      { name: 'dead letters', type: 'line', yAxisIndex: 1, showSymbol: false,
        data: t.map(function (p) { return [time(p.timeMillis), p.deadLetters]; }) }
    ];
    dashboard.charts.throughput.setOption({
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 60, right: 70, top: 40, bottom: 30 },
      xAxis: { type: 'time' },
      yAxis: [{ type: 'value', name: 'events/s' }, { type: 'value', name: 'count' }],
      series: series
    }, { replaceMerge: ['series'] });
  }

  function stages(s) {
    const c = s.curation;
    const sum = function (m) { return Object.values(m).reduce(function (a, b) { return a + b; }, 0); };
    const names = ['feedback events', 'read by curation', 'curated events', 'filtered', 'dead-lettered (job)',
      'pairs (topic)', 'dead letters (topic)'];
    const values = [s.stages.feedbackEvents, c ? c.eventsIn : 0, c ? c.curatedEvents : 0, c ? sum(c.filtered) : 0,
      c ? sum(c.deadLettered) : 0, s.stages.pairs, s.stages.deadLetters];
    dashboard.charts.stages.setOption({
      tooltip: {}, grid: { left: 140, right: 30, top: 20, bottom: 30 },
      title: { text: c ? 'curation counts: ' + c.source : 'curation counts: none yet', right: 0, bottom: 0,
        textStyle: { fontSize: 11, fontWeight: 'normal', color: '#6b7280' } },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: names, inverse: true },
      series: [{ type: 'bar', data: values, itemStyle: { color: '#3b82f6' }, label: { show: true, position: 'right' } }]
    });
  }

  function reasons(s) {
    const filtered = s.curation ? s.curation.filtered : {};
    const dead = Object.assign({}, s.deadLettersByReason);
    const names = Object.keys(filtered).map(function (r) { return 'filtered: ' + r; })
      .concat(Object.keys(dead).map(function (r) { return 'dead letter: ' + r; }));
    const values = Object.values(filtered).map(function (v) { return { value: v, itemStyle: { color: '#f59e0b' } }; })
      .concat(Object.values(dead).map(function (v) { return { value: v, itemStyle: { color: '#ef4444' } }; }));
    dashboard.charts.reasons.setOption({
      tooltip: {}, grid: { left: 190, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: names, inverse: true },
      series: [{ type: 'bar', data: values, label: { show: true, position: 'right' } }]
    });
  }

  function noise(s) {
    const fits = s.labelNoise;
    dashboard.charts.noise.setOption({
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'time' }, yAxis: { type: 'value', min: 0, name: 'ε̂' },
      series: [
        { name: 'per judgement (1 − accuracy, vote-weighted)', type: 'line',
          data: fits.filter(function (p) { return p.judgementFlipRate !== null; })
            .map(function (p) { return [time(p.timeMillis), p.judgementFlipRate]; }) },
        { name: 'per decided label (1 − p_chosen)', type: 'line',
          data: fits.filter(function (p) { return p.decidedErrorRate !== null; })
            .map(function (p) { return [time(p.timeMillis), p.decidedErrorRate]; }) },
        { name: 'snapshot manifests', type: 'scatter', symbolSize: 10,
          data: s.snapshots.filter(function (m) { return m.judgementFlipRate !== null; })
            .map(function (m) { return [time(m.createdMillis), m.judgementFlipRate]; }) }
      ]
    }, { replaceMerge: ['series'] });
  }

  function drift(s) {
    const series = s.annotators.map(function (a) {
      const flagged = a.flags.length > 0;
      return {
        name: a.annotatorId, type: 'line', showSymbol: false,
        lineStyle: { width: flagged ? 2.5 : 1, opacity: flagged ? 1 : 0.5 },
        itemStyle: flagged ? { color: FLAG_COLORS[a.flags[0]] } : undefined,
        data: a.history.filter(function (p) { return p.accuracy !== null; })
          .map(function (p) { return [p.modelVersion, p.accuracy]; })
      };
    });
    dashboard.charts.drift.setOption({
      tooltip: { trigger: 'item' }, grid: { left: 50, right: 20, top: 20, bottom: 40 },
      xAxis: { type: 'value', name: 'fit', nameLocation: 'middle', nameGap: 25, minInterval: 1 },
      yAxis: { type: 'value', min: 0, max: 1, name: 'accuracy' },
      series: series
    }, { replaceMerge: ['series'] });
  }

  function sparkline(history) {
    const points = history.filter(function (p) { return p.accuracy !== null; });
    if (points.length < 2) return '';
    const w = 120, h = 24;
    const coords = points.map(function (p, i) {
      return (i * w / (points.length - 1)).toFixed(1) + ',' + (h - p.accuracy * h).toFixed(1);
    });
    return '<svg class="spark" width="' + w + '" height="' + h + '"><polyline fill="none" stroke="#3b82f6" ' +
      'stroke-width="1.5" points="' + coords.join(' ') + '"/></svg>';
  }

  function estimates(m) {
    return Object.keys(m).map(function (k) {
      return escapeHtml(k) + ' ' + (Math.abs(m[k]) >= 100 ? m[k].toExponential(2) : m[k].toFixed(3));
    }).join(' · ');
  }

  function escapeHtml(v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  let renderedAnnotators = null;

  function annotatorTable(s) {
    const body = document.querySelector('#annotators tbody');
    // redraw only when an estimate changed, so the table neither flickers nor loses a selection every poll
    const key = JSON.stringify(s.annotators);
    if (!s.annotators.length || key === renderedAnnotators) return;
    renderedAnnotators = key;
    // flagged annotators first, then the least accurate
    const rows = s.annotators.slice().sort(function (a, b) {
      return (b.flags.length > 0) - (a.flags.length > 0) || (a.accuracy === null) - (b.accuracy === null) ||
        (a.accuracy || 0) - (b.accuracy || 0);
    });
    body.innerHTML = rows.map(function (a) {
      const acc = a.accuracy === null ? '–' :
        '<span class="bar" style="width:' + Math.round(a.accuracy * 60) + 'px"></span>' + a.accuracy.toFixed(3);
      const flags = a.flags.map(function (f) { return '<span class="flag ' + f + '">' + f + '</span>'; }).join('');
      return '<tr class="' + (a.flags.length ? 'flagged' : '') + '" data-annotator="' + escapeHtml(a.annotatorId) +
        '" data-flags="' + a.flags.join(' ') + '">' +
        '<td>' + escapeHtml(a.annotatorId) + '</td><td>' + escapeHtml(a.method) + '</td>' +
        '<td class="num">' + acc + '</td><td class="num">' + fmt(a.informativeness, 3) + '</td>' +
        '<td class="num">' + fmt(a.pFirstShown, 3) + '</td><td class="num">' + fmt(a.judgements) + '</td>' +
        '<td class="estimates">' + estimates(a.estimates) + '</td>' +
        '<td class="flags">' + flags + '</td><td>' + sparkline(a.history) + '</td>' +
        '<td class="num">' + (a.accuracyDrift === null ? '–' : (a.accuracyDrift >= 0 ? '+' : '') +
          a.accuracyDrift.toFixed(3)) + '</td></tr>';
    }).join('');
  }

  function labels(s) {
    const p = s.pairs;
    dashboard.charts.labels.setOption({
      tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: [{ left: 45, right: '55%', top: 40, bottom: 40 }, { left: '55%', right: 10, top: 40, bottom: 40 }],
      xAxis: [{ type: 'category', gridIndex: 0, data: binLabels(p.pChosen, 2), name: 'p(chosen)',
        nameLocation: 'middle', nameGap: 25, axisLabel: { rotate: 45, fontSize: 9 } },
      { type: 'category', gridIndex: 1, data: binLabels(p.agreement, 1), name: 'agreement',
        nameLocation: 'middle', nameGap: 25, axisLabel: { rotate: 45, fontSize: 9 } }],
      yAxis: [{ type: 'value', gridIndex: 0 }, { type: 'value', gridIndex: 1 }],
      series: [{ name: 'pairs by p(chosen)', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: p.pChosen.counts },
        { name: 'pairs by agreement', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: p.agreement.counts,
          itemStyle: { color: '#10b981' } }]
    });
  }

  function lengths(s) {
    const p = s.pairs;
    dashboard.charts.lengths.setOption({
      tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 50 },
      title: { text: 'chosen is longer in ' + (p.chosenLongerShare === null ? '–' :
        (100 * p.chosenLongerShare).toFixed(1) + '%') + ' of pairs', right: 0, bottom: 0,
        textStyle: { fontSize: 11, fontWeight: 'normal', color: '#6b7280' } },
      xAxis: { type: 'category', data: binLabels(p.chosenChars, 0), axisLabel: { rotate: 30, fontSize: 9 } },
      yAxis: { type: 'value' },
      series: [{ name: 'chosen', type: 'bar', data: p.chosenChars.counts },
        { name: 'rejected', type: 'bar', data: p.rejectedChars.counts }]
    });
  }

  function training(s) {
    const names = {};
    s.checkpoints.forEach(function (c) { Object.keys(c.metrics).forEach(function (m) { names[m] = true; }); });
    const series = Object.keys(names).sort().map(function (m) {
      return { name: m, type: 'line', data: s.checkpoints.map(function (c, i) {
        return [i + 1, c.metrics[m] === undefined ? null : c.metrics[m]];
      }) };
    });
    dashboard.charts.training.setOption({
      tooltip: { trigger: 'axis' }, legend: { top: 0, type: 'scroll' }, grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'value', name: 'iteration', nameLocation: 'middle', nameGap: 25, minInterval: 1 },
      yAxis: { type: 'value' },
      series: series
    }, { replaceMerge: ['series'] });
  }

  function lineage(s) {
    const nodes = [], links = [], seen = {};
    function node(id, category, label) {
      if (seen[id]) return;
      seen[id] = true;
      nodes.push({ id: id, name: label, category: category });
    }
    s.checkpoints.forEach(function (c, i) {
      node('snapshot:' + c.snapshotId, 1, c.snapshotId);
      node('checkpoint:' + c.checkpointId, 0, c.checkpointId);
      links.push({ source: 'snapshot:' + c.snapshotId, target: 'checkpoint:' + c.checkpointId });
      if (c.parentCheckpointId) {
        node('checkpoint:' + c.parentCheckpointId, 0, c.parentCheckpointId);
        links.push({ source: 'checkpoint:' + c.parentCheckpointId, target: 'checkpoint:' + c.checkpointId });
      }
    });
    dashboard.charts.lineage.setOption({
      tooltip: {}, legend: { top: 0, data: ['checkpoint', 'snapshot'] },
      series: [{ type: 'graph', layout: 'force', roam: true, draggable: true, symbolSize: 18,
        force: { repulsion: 160, edgeLength: 60 }, edgeSymbol: ['none', 'arrow'],
        label: { show: true, position: 'right', fontSize: 10 },
        categories: [{ name: 'checkpoint' }, { name: 'snapshot' }], data: nodes, links: links }]
    });
  }

  function draw(s) {
    tiles(s);
    throughput(s);
    stages(s);
    reasons(s);
    noise(s);
    drift(s);
    annotatorTable(s);
    labels(s);
    lengths(s);
    training(s);
    lineage(s);
  }

  function poll() {
    fetch(STATE_URL, { cache: 'no-store' })
      .then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      })
      .then(function (s) {
        dashboard.state = s;
        draw(s);
        dashboard.updates++;
        const el = document.getElementById('status');
        el.classList.remove('stale');
        el.textContent = 'updated ' + new Date(s.timeMillis).toLocaleTimeString() + ' · every ' +
          POLL_MILLIS / 1000 + ' s';
      })
      .catch(function (e) {
        dashboard.errors++;
        const el = document.getElementById('status');
        el.classList.add('stale');
        el.textContent = 'cannot reach prefpipe: ' + e.message;
      })
      .finally(function () { setTimeout(poll, POLL_MILLIS); });
  }

  poll();
})();
