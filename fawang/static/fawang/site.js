// Small page behaviours, without inline handlers: the Content-Security-Policy allows no inline script.
document.addEventListener("change", function (event) {
  var field = event.target;
  if (field.matches && field.matches("[data-submit-on-change]") && field.form) { field.form.submit(); }
});
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
});
