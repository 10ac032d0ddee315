// 社区矫正 · 最近位置: the district's grids and streets (the console's shared unit layer,
// static/unit-map.js), the subjects' permitted areas and their last positions, from
// /correction/map.geojson. Nothing is fetched from outside the platform; without JavaScript
// or Leaflet the server's SVG stays.
(function () {
  "use strict";

  var OUT = { out_of_area: true, unverified: true };

  function only(data, layer) {
    return data.features.filter(function (f) { return window.FazhiMap.layerOf(f) === layer; });
  }

  function draw(box, data) {
    var FM = window.FazhiMap;
    var map = FM.base(box);
    var units = FM.units(map, data.features);
    var areas = L.geoJSON(only(data, "area"), {
      style: { color: "#4a6fa5", weight: 1.5, dashArray: "4 3", fillColor: "#e8f0fe", fillOpacity: 0.35 },
      interactive: false,
    }).addTo(map);
    var positions = L.geoJSON(only(data, "position"), {
      pointToLayer: function (feature, at) {
        var bad = OUT[feature.properties.status];
        return L.circleMarker(at, {
          radius: 6, weight: 1.5, color: "#fff", fillOpacity: 0.95,
          fillColor: bad ? "#c62828" : "#2e7d32", className: "subject-position",
        });
      },
      onEachFeature: function (feature, marker) {
        var p = feature.properties;
        marker.bindTooltip(p.name + "（" + p.number + "）：" + p.status_label, { className: "position-tip" });
        marker.on("click", function () { window.location.assign(p.file); });
      },
    }).addTo(map);
    // Framed on the subjects when there are any, else on the whole district.
    var focus = L.featureGroup([areas, positions]);
    var bounds = focus.getLayers().some(function (l) { return l.getLayers().length; })
      ? focus.getBounds() : units.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [12, 12] });
    } else {
      map.setView([27.9, 113.1], 11);
    }
    box.dataset.grids = String(only(data, "grid").length);
    box.dataset.streets = String(only(data, "street").length);
    box.dataset.positions = String(only(data, "position").length);
  }

  if (window.FazhiMap) {
    window.FazhiMap.whenReady(function () {
      window.FazhiMap.mount("position-leaflet", "position-map", draw);
    });
  }
})();
