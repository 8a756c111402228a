// "使用我的位置": the browser's position goes into the finder form (nothing leaves for outside).
(function () {
  var button = document.getElementById("locate");
  var status = document.getElementById("locate-status");
  if (!button || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "正在获取您的位置……";
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("lat").value = pos.coords.latitude.toFixed(6);
      document.getElementById("lon").value = pos.coords.longitude.toFixed(6);
      ["district", "township", "village"].forEach(function (id) { document.getElementById(id).value = ""; });
      document.getElementById("finder-form").submit();
    }, function () { status.textContent = "无法获取您的位置，请按区县选择。"; }, { timeout: 10000 });
  });
})();
