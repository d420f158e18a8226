/**
 * The report page's own script, run in the browser after Chart.js: it reads the embedded ReportData
 * and builds each suite's section. Kept as plain ES2017 in a string (no bundler): the page must open
 * from disk with nothing else.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  var colours = {};
  function colour(name) {
    if (name === '(failed)') return '#000000';
    if (name === '(unknown)' || name === '?') return '#bbbbbb';
    if (!(name in colours)) colours[name] = palette[Object.keys(colours).length % palette.length];
    return colours[name];
  }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function pct(x) { return (100 * x).toFixed(1) + '%'; }
  function chart(parent, id, config) {
    var canvas = el('canvas', { id: id, width: '720', height: '300' });
    parent.appendChild(el('div', { 'class': 'chart' }, [canvas]));
    config.options = Object.assign({ animation: false, responsive: false }, config.options || {});
    return new Chart(canvas, config);
  }
  // Vertical lines at the seconds the change window's changes took effect.
  var changeMarks = {
    id: 'changeMarks',
    afterDatasetsDraw: function (c, args, opts) {
      var x = c.scales.x, y = c.scales.y, ctx = c.ctx;
      (opts.marks || []).forEach(function (m) {
        var px = x.getPixelForValue(m.second);
        ctx.save();
        ctx.strokeStyle = '#d62728';
        ctx.setLineDash([4, 3]);
        ctx.beginPath(); ctx.moveTo(px, y.top); ctx.lineTo(px, y.bottom); ctx.stroke();
        ctx.fillStyle = '#d62728';
        ctx.fillText(m.label, px + 3, y.top + 10);
        ctx.restore();
      });
    }
  };

  var root = document.getElementById('report');
  data.suites.forEach(function (s, si) {
    var sec = el('section', { 'class': 'suite', 'data-suite': s.name });
    root.appendChild(sec);
    sec.appendChild(el('h2', {}, ['Suite ' + s.name + ' ', el('span', { 'class': 'outcome ' + s.outcome }, [s.outcome])]));

    var vt = el('table', { 'class': 'verdicts' }, [el('tr', {}, [el('th', {}, ['check']), el('th', {}, ['status']), el('th', {}, ['seen']), el('th', {}, ['expected'])])]);
    s.verdicts.forEach(function (v) {
      vt.appendChild(el('tr', { 'data-check': v.check }, [el('td', {}, [v.check]), el('td', { 'class': 'status ' + v.status }, [v.status.toUpperCase()]), el('td', {}, [v.seen]), el('td', {}, [v.expected])]));
    });
    sec.appendChild(el('h3', {}, ['Verdicts']));
    sec.appendChild(vt);

    sec.appendChild(el('h3', {}, ['Spread over real servers (' + s.spread.total + ' ' + s.spread.unit + '; bars: 95% Wilson interval)']));
    var rows = s.spread.rows;
    chart(sec, 'spread-' + si, {
      type: 'bar',
      data: {
        labels: rows.map(function (r) { return r.server; }),
        datasets: [
          { label: 'observed share', data: rows.map(function (r) { return r.share; }), backgroundColor: rows.map(function (r) { return colour(r.server); }) },
          { label: '95% interval', data: rows.map(function (r) { return [r.low, r.high]; }), backgroundColor: 'rgba(0,0,0,0.25)', barPercentage: 0.15 },
          { label: 'expected (weights)', data: rows.map(function (r) { return r.expected; }), backgroundColor: 'rgba(120,120,120,0.5)' }
        ]
      },
      options: { scales: { x: { stacked: false }, y: { min: 0, max: 1, title: { display: true, text: 'share' } } } }
    });
    var st = el('table', { 'class': 'spread' }, [el('tr', {}, ['server', s.spread.unit, 'share', '95% interval', 'expected'].map(function (h) { return el('th', {}, [h]); }))]);
    rows.forEach(function (r) {
      st.appendChild(el('tr', { 'data-server': r.server }, [
        el('td', {}, [r.server]), el('td', { 'class': 'count' }, [String(r.count)]), el('td', { 'class': 'share' }, [pct(r.share)]),
        el('td', { 'class': 'interval' }, [pct(r.low) + ' - ' + pct(r.high)]), el('td', { 'class': 'expected' }, [r.expected === null ? '-' : pct(r.expected)])
      ]));
    });
    sec.appendChild(st);

    var servers = Object.keys(s.curves);
    if (servers.length > 0) {
      sec.appendChild(el('h3', {}, ['Total latency by percentile, per real server (ms)']));
      chart(sec, 'curves-' + si, {
        type: 'line',
        data: {
          labels: data.percentiles.map(function (p) { return 'p' + p; }),
          datasets: servers.map(function (name) { return { label: name, data: s.curves[name], borderColor: colour(name), backgroundColor: colour(name), fill: false }; })
        },
        options: { scales: { y: { type: 'logarithmic', title: { display: true, text: 'ms' } } } }
      });
    }

    var tl = s.timeline;
    if (tl.seconds > 0) {
      sec.appendChild(el('h3', {}, ['New connections per second, per real server' + (tl.changes.length ? ' (dashed: changes)' : '')]));
      var labels = [];
      for (var k = 0; k < tl.seconds; k++) labels.push(k);
      chart(sec, 'timeline-' + si, {
        type: 'line',
        data: { labels: labels, datasets: Object.keys(tl.rows).map(function (name) { return { label: name, data: tl.rows[name], borderColor: colour(name), backgroundColor: colour(name), stepped: true }; }) },
        options: { plugins: { changeMarks: { marks: tl.changes } }, scales: { x: { title: { display: true, text: 'second' } } } },
        plugins: [changeMarks]
      });
      if (tl.changes.length) {
        sec.appendChild(el('ul', { 'class': 'changes' }, tl.changes.map(function (c) { return el('li', {}, ['second ' + c.second + ': ' + c.label]); })));
      }
    }

    var m = s.matrix;
    if (m.clients.length > 0) {
      sec.appendChild(el('h3', {}, ['Which client landed on which server (rows: clients; columns: round, probe:port; x: more than one server)']));
      var legend = el('p', { 'class': 'legend' });
      var named = {};
      m.cells.forEach(function (r) { r.forEach(function (c) { c.forEach(function (n) { named[n] = true; }); }); });
      Object.keys(named).sort().forEach(function (n) { legend.appendChild(el('span', { 'class': 'swatch', style: 'background:' + colour(n) }, [])); legend.appendChild(document.createTextNode(n + ' ')); });
      sec.appendChild(legend);
      var mt = el('table', { 'class': 'matrix' }, [el('tr', {}, [el('th', {}, ['client'])].concat(m.columns.map(function (c) { return el('th', {}, [c]); })))]);
      m.clients.forEach(function (client, ri) {
        var tr = el('tr', { 'data-client': client }, [el('td', {}, [client])]);
        m.cells[ri].forEach(function (names, ci) {
          var style = names.length === 1 ? 'background:' + colour(names[0]) : names.length ? 'background:repeating-linear-gradient(45deg,' + colour(names[0]) + ' 0 3px,' + colour(names[1]) + ' 3px 6px)' : '';
          tr.appendChild(el('td', { 'class': 'cell', title: client + ' ' + m.columns[ci] + ': ' + (names.join(', ') || 'none'), 'data-servers': names.join(','), style: style }, [names.length > 1 ? 'x' : '']));
        });
        mt.appendChild(tr);
      });
      sec.appendChild(mt);
    }

    if (s.bench) {
      sec.appendChild(el('h3', {}, ['Bench (ab figures)']));
      var bt = el('table', { 'class': 'bench' });
      Object.keys(s.bench.figures).forEach(function (k) {
        var v = s.bench.figures[k];
        bt.appendChild(el('tr', { 'data-figure': k }, [el('td', {}, [k]), el('td', { 'class': 'value' }, [Number.isInteger(v) ? String(v) : v.toFixed(2)])]));
      });
      sec.appendChild(bt);
      sec.appendChild(el('pre', { 'class': 'ab' }, [s.bench.report]));
    }
  });
  document.body.setAttribute('data-rendered', 'true');
})();
`;
