// Filters of the comment table and the Plotly charts. Reads data-* attributes only; never
// builds HTML from data (no innerHTML), so document text cannot become markup here.
(function () {
  'use strict';
  // Same folding as hokoku.outputs.html_view.fold: NFKC (width) + case.
  const fold = s => s.normalize('NFKC').toLowerCase();
  const state = {themes: new Set(), year: '', article: '', project: '', q: ''};

  function rowMatches(tr) {
    if (state.year && tr.dataset.year !== state.year) return false;
    if (state.article && tr.dataset.article !== state.article) return false;
    if (state.project && tr.dataset.project !== state.project) return false;
    if (state.themes.size) {
      const themes = JSON.parse(tr.dataset.themes);
      if (!themes.some(t => state.themes.has(t))) return false;
    }
    return !state.q || tr.dataset.fold.includes(state.q);
  }

  function apply() {
    let n = 0;
    document.querySelectorAll('#comment-table tbody tr').forEach(tr => {
      const ok = rowMatches(tr);
      tr.hidden = !ok;
      if (ok) n++;
    });
    document.getElementById('count').textContent = String(n);
    document.getElementById('empty').hidden = n > 0;
    document.querySelectorAll('.chip').forEach(chip => {
      const t = chip.dataset.theme;
      chip.setAttribute('aria-pressed', String(t === '' ? state.themes.size === 0 : state.themes.has(t)));
    });
  }

  function toggleTheme(theme) {
    if (theme === '') state.themes.clear();
    else if (state.themes.has(theme)) state.themes.delete(theme);
    else state.themes.add(theme);
    apply();
  }

  const drawn = new Set();
  function draw(el) {
    if (drawn.has(el.id) || typeof Plotly === 'undefined') return;
    const fig = CHARTS[el.dataset.chart];
    if (!fig) return;
    drawn.add(el.id);
    if (fig.layout.height) el.style.height = fig.layout.height + 'px';  // responsive resizes keep it
    Plotly.newPlot(el, fig.data, Object.assign({autosize: true, font: {family: 'IPAexGothic, sans-serif', size: 12}},
      fig.layout), {responsive: true, displaylogo: false, modeBarButtonsToRemove: ['lasso2d', 'select2d']});
  }
  function drawVisible(root) {
    root.querySelectorAll('.chart[data-chart]').forEach(draw);
  }

  let CHARTS = {};
  document.addEventListener('DOMContentLoaded', () => {
    CHARTS = JSON.parse(document.getElementById('chart-data').textContent);
    document.querySelectorAll('.chip').forEach(chip => chip.addEventListener('click', () => toggleTheme(chip.dataset.theme)));
    [['f-year', 'year'], ['f-article', 'article'], ['f-project', 'project']].forEach(([id, key]) => {
      document.getElementById(id).addEventListener('change', e => { state[key] = e.target.value; apply(); });
    });
    document.getElementById('f-q').addEventListener('input', e => { state.q = fold(e.target.value.trim()); apply(); });
    document.querySelectorAll('details.project').forEach(d => d.addEventListener('toggle', () => { if (d.open) drawVisible(d); }));
    window.addEventListener('beforeprint', () => {
      document.querySelectorAll('details.project').forEach(d => { d.open = true; drawVisible(d); });
    });
    drawVisible(document.getElementById('overview'));
    apply();
    document.body.dataset.ready = '1';
  });
})();
