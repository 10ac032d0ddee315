// 地图: the grids shaded by their orders, drawn with the console's shared map (static/unit-map.js:
// Leaflet served by the platform, intranet tiles only when configured) over /map/grids.geojson.
// Without JavaScript or Leaflet the server's SVG map stays.
(function () {
  "use strict";

  function popupText(p) {
    return p.name + " · " + p.community + "（" + p.street + "）：" + p.count + " 件";
  }

  function draw(box, data) {
    var map = window.FazhiMap.base(box);
    var layer = L.geoJSON(data, {
      style: function (feature) {
        return { color: "#51606f", weight: 1, fillColor: feature.properties.colour, fillOpacity: 0.85 };
      },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(popupText(feature.properties), { sticky: true });
        shape.on("click", function () {
          var target = document.getElementById("grid-orders");
          if (window.htmx && target) {
            window.htmx.ajax("GET", feature.properties.orders, { target: target, swap: "innerHTML" });
          }
        });
      },
    }).addTo(map);
    if (data.features.length) {
      map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    } else {
      map.setView([27.9, 113.1], 11);
    }
    box.dataset.features = String(data.features.length);
  }

  if (window.FazhiMap) {
    window.FazhiMap.whenReady(function () {
      window.FazhiMap.mount("grid-leaflet", "grid-map", draw);
    });
  }
})();
