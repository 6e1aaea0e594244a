// The search page: Pagefind's self-hosted UI in Chinese; ?q= from the header's search box.
window.addEventListener('DOMContentLoaded', function () {
  if (typeof PagefindUI === 'undefined') return;
  var ui = new PagefindUI({
    element: '#search',
    showSubResults: true,
    showImages: false,
    pageSize: 10,
    resetStyles: false,
    // Pagefind waits 300 ms after the last keystroke by default; the first result should show sooner.
    debounceTimeoutMs: 100,
    translations: { placeholder: '输入村名、单位名称或案例中的词语', zero_results: '没有找到与“[SEARCH_TERM]”相关的内容' },
  });
  // Pagefind labels its input only with a placeholder: give it an accessible name.
  var input = document.querySelector('#search .pagefind-ui__search-input');
  if (input) input.setAttribute('aria-label', '搜索内容');
  var q = new URLSearchParams(window.location.search).get('q');
  if (q) ui.triggerSearch(q);
});
