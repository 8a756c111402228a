// Long pickers (转办 institutions, dispatch rules…) become searchable with Tom Select, served from
// our own static files: a <select data-searchable> gets a type-to-filter box (the forms mark the
// long ones). Without the library, or without JavaScript, the plain <select> works as before.
(function () {
  if (!window.TomSelect) { return; }
  function enhance(root) {
    root.querySelectorAll("select").forEach(function (select) {
      if (select.tomselect || select.multiple || select.hasAttribute("data-submit-on-change")) { return; }
      if (!select.hasAttribute("data-searchable")) { return; }
      new TomSelect(select, {
        maxOptions: null,
        allowEmptyOption: true,
        create: false,
        searchField: ["text", "optgroup"],
        render: {
          no_results: function () { return '<div class="no-results">没有找到匹配的选项</div>'; }
        }
      });
    });
  }
  enhance(document);
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
