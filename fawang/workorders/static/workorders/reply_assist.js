// The seat's reply screen: put an accepted draft into the reply box. Without the box, no button.
(function () {
  function box() { return document.querySelector("[data-reply-text]"); }
  function showButtons() {
    if (!box()) { return; }
    document.querySelectorAll("[data-use-draft]").forEach(function (button) { button.hidden = false; });
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-use-draft]");
    var target = box();
    if (!button || !target) { return; }
    var draft = button.closest(".draft").querySelector(".draft-text");
    target.value = draft.value;
    target.focus();
  });
  document.addEventListener("htmx:afterSwap", showButtons);
  showButtons();
})();
