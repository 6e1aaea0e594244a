// The search page: Pagefind's search API (/pagefind/pagefind.js) behind the page's own form.
// Results are built as DOM nodes; Pagefind's excerpt is split on its <mark> tags and every
// other piece is inserted as text, so nothing from the index is ever parsed as HTML.
(function () {
  var form = document.querySelector('.search-form');
  if (!form) return;
  var input = form.querySelector('input[name="q"]');
  var selects = Array.prototype.slice.call(form.querySelectorAll('select'));
  var status = document.getElementById('search-status');
  var list = document.getElementById('search-results');
  var more = document.getElementById('search-more');
  var PAGE_SIZE = 10;
  var loading = null;
  var results = [];
  var shown = 0;
  var seq = 0;
  var timer = null;

  function pagefind() {
    if (!loading) {
      loading = import('/pagefind/pagefind.js').then(function (pf) {
        return pf.options({ excerptLength: 40 }).then(function () { return pf; });
      });
    }
    return loading;
  }

  function chosenFilters() {
    var f = {};
    selects.forEach(function (s) { if (s.value) f[s.name] = s.value; });
    return f;
  }

  // Keep the address shareable: ?q=…&类型=…
  function remember(q) {
    var params = new URLSearchParams();
    if (q) params.set('q', q);
    selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
    var query = params.toString();
    history.replaceState(null, '', query ? '?' + query : location.pathname);
  }

  var decoder = document.createElement('textarea');
  function appendExcerpt(parent, excerpt) {
    var marked = false;
    excerpt.split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === '<mark>') { marked = true; return; }
      if (piece === '</mark>') { marked = false; return; }
      decoder.innerHTML = piece; // a <textarea> only decodes entities; nothing runs or loads
      var text = document.createTextNode(decoder.value);
      if (marked) {
        var m = document.createElement('mark');
        m.appendChild(text);
        parent.appendChild(m);
      } else parent.appendChild(text);
    });
  }

  function showMore(mine) {
    var slice = results.slice(shown, shown + PAGE_SIZE);
    shown += slice.length;
    more.hidden = shown >= results.length;
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (items) {
      if (mine !== seq) return;
      items.forEach(function (d) {
        var li = document.createElement('li');
        li.className = 'search-result';
        var title = document.createElement('a');
        title.className = 'search-result-link';
        title.href = d.url;
        title.textContent = (d.meta && d.meta.title) || d.url;
        var excerpt = document.createElement('p');
        excerpt.className = 'search-result-excerpt';
        appendExcerpt(excerpt, d.excerpt || '');
        li.appendChild(title);
        li.appendChild(excerpt);
        list.appendChild(li);
      });
    });
  }

  function run() {
    var q = input.value.trim();
    var mine = ++seq;
    remember(q);
    if (!q) {
      status.textContent = '';
      list.replaceChildren();
      more.hidden = true;
      return;
    }
    status.textContent = '正在搜索……';
    pagefind()
      .then(function (pf) { return pf.search(q, { filters: chosenFilters() }); })
      .then(function (found) {
        if (mine !== seq || !found) return;
        results = found.results;
        shown = 0;
        list.replaceChildren();
        status.textContent = results.length ? '找到 ' + results.length + ' 条结果' : '没有找到与“' + q + '”相关的内容';
        return showMore(mine);
      })
      .catch(function () {
        if (mine === seq) status.textContent = '搜索暂时不可用，请稍后再试，或从上方导航浏览。';
      });
  }

  form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  });
  selects.forEach(function (s) { s.addEventListener('change', run); });
  more.addEventListener('click', function () { showMore(seq); });

  // ?q= from the header's search box, or a shared address.
  var params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  selects.forEach(function (s) { s.value = params.get(s.name) || ''; });
  if (input.value) run();
  pagefind(); // start loading the index while the reader types
})();
