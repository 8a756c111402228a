// With scripts on, choosing a district reloads its townships at once (the button does it without).
(function () {
  var district = document.getElementById("id_district");
  var button = document.getElementById("pick-district");
  if (!district || !button) { return; }
  district.addEventListener("change", function () { button.click(); });
})();
