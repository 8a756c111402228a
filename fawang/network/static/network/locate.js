// "使用我的位置": the browser's position goes into the finder form (nothing leaves for outside).
(function () {
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (!button || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.dataset.wait;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("lon").value = pos.coords.longitude.toFixed(6);
      ["district", "township", "village"].forEach(function (id) { document.getElementById(id).value = ""; });
      document.getElementById("finder-form").submit();
    }, function () { status.textContent = button.dataset.failed; }, { timeout: 10000 });
  });
})();
