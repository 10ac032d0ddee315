// 地图: the grids drawn with Leaflet (from the npm registry, served by the platform) over the
// platform's own GeoJSON, on an intranet tile layer when the deployment configures one
// (FAZHI_MAP_TILES). Without JavaScript or Leaflet the server's SVG map stays.
(function () {
  "use strict";

  function popupText(p) {
    return p.name + " · " + p.community + "（" + p.street + "）：" + p.count + " 件";
  }

  function draw(box, data) {
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: Boolean(box.dataset.tiles) });
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "内网底图" }).addTo(map);
    }
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
    box.classList.add("ready");
  }

  function start() {
    var box = document.getElementById("grid-leaflet");
    if (!box || !window.L) {
      return;
    }
    fetch(box.dataset.geojson, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error(String(r.status));
        }
        return r.json();
      })
      .then(function (data) {
        box.hidden = false;
        var svg = document.getElementById("grid-map");
        if (svg) {
          svg.style.display = "none"; // the hidden attribute does not apply to <svg>
        }
        draw(box, data);
      })
      .catch(function () {
        box.remove(); // the SVG map stays
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
