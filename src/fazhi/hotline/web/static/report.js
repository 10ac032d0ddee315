/* 网格员上报: fills the hidden #longitude/#latitude from the device (Geolocation API), shows
   the accuracy, offers manual entry when permission is refused, and previews chosen photos.
   No dependencies: the place line is refreshed by htmx listening for "located" on <body>,
   and the form still works without this script (address only). */
(function () {
  "use strict";

  function $(id) { return document.getElementById(id); }

  function announce(text, ok) {
    var status = $("geo-status");
    if (!status) return;
    status.textContent = text;
    status.className = "geo-status " + (ok ? "ok" : "bad");
  }

  function located() {
    document.body.dispatchEvent(new CustomEvent("located", { bubbles: true }));
  }

  function setPoint(lon, lat) {
    $("longitude").value = lon;
    $("latitude").value = lat;
    located();
  }

  function showManual(open) {
    var box = $("geo-manual");
    var toggle = $("geo-manual-toggle");
    if (!box) return;
    box.hidden = !open;
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function locate() {
    if (!("geolocation" in navigator)) {
      announce("此设备不支持定位，请填写地址或手动输入坐标", false);
      showManual(true);
      return;
    }
    announce("正在获取设备位置…", true);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var c = position.coords;
        var lon = c.longitude.toFixed(6);
        var lat = c.latitude.toFixed(6);
        $("manual_longitude").value = lon;
        $("manual_latitude").value = lat;
        setPoint(lon, lat);
        var accuracy = Math.round(c.accuracy || 0);
        announce("已定位：" + lon + ", " + lat + (accuracy ? "（精度约 " + accuracy + " 米）" : ""), true);
      },
      function (error) {
        var denied = error && error.code === 1;
        announce(
          (denied ? "未获得定位权限" : "暂时无法定位") + "，请填写地址或手动输入坐标",
          false
        );
        showManual(true);
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  function manualChanged() {
    var lon = $("manual_longitude").value.trim();
    var lat = $("manual_latitude").value.trim();
    if (lon && lat) {
      setPoint(lon, lat);
      announce("已使用手动输入的坐标：" + lon + ", " + lat, true);
    }
  }

  function photosChanged() {
    var input = $("photos");
    var list = $("photo-previews");
    var count = $("photo-count");
    var max = parseInt(input.getAttribute("data-max") || "6", 10);
    var files = input.files || [];
    list.textContent = "";
    if (files.length > max) {
      count.textContent = "最多上传 " + max + " 张照片，当前选择了 " + files.length + " 张";
      count.className = "field-error";
      input.setCustomValidity("最多上传 " + max + " 张照片");
    } else {
      count.textContent = files.length ? "已选择 " + files.length + " 张照片" : "未选择照片";
      count.className = "muted small";
      input.setCustomValidity("");
    }
    for (var i = 0; i < files.length && i < max; i++) {
      if (!window.URL || !URL.createObjectURL) break;
      var item = document.createElement("li");
      var img = document.createElement("img");
      img.src = URL.createObjectURL(files[i]);
      img.alt = files[i].name;
      item.appendChild(img);
      list.appendChild(item);
    }
  }

  function start() {
    if (!$("report-form")) return;
    $("geo-retry").addEventListener("click", locate);
    $("geo-manual-toggle").addEventListener("click", function () {
      showManual($("geo-manual").hidden);
    });
    $("manual_longitude").addEventListener("change", manualChanged);
    $("manual_latitude").addEventListener("change", manualChanged);
    $("photos").addEventListener("change", photosChanged);
    $("report-form").addEventListener("submit", function (event) {
      var input = $("photos");
      var max = parseInt(input.getAttribute("data-max") || "6", 10);
      if (input.files && input.files.length > max) {
        event.preventDefault();
        photosChanged();
        input.focus();
      }
    });
    if ($("longitude").value && $("latitude").value) {
      announce("已有坐标：" + $("longitude").value + ", " + $("latitude").value, true);
    } else {
      locate();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
