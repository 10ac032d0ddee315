// The district's units on a map, shared by every console map (地图, 社区矫正): Leaflet (from
// the npm registry, served by the platform under /static/vendor/leaflet) over the page's own
// GeoJSON (fazhi.web.unit_map), on an intranet tile layer only when the deployment sets one
// (FAZHI_MAP_TILES, the box's data-tiles). Without JavaScript or Leaflet the page's SVG stays.
(function () {
  "use strict";

  // A map in `box`, with the intranet tiles when configured and nothing fetched otherwise.
  function base(box) {
    var map = L.map(box, { zoomSnap: 0.25, attributionControl: Boolean(box.dataset.tiles) });
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { maxZoom: 19, attribution: "内网底图" }).addTo(map);
    }
    return map;
  }

  function layerOf(feature) {
    return feature.properties && feature.properties.layer;
  }

  // The units' layer: the streets' outlines, each named at its centre, and the grids, each
  // named in its tooltip (205 grid names at once would hide the map). Returns the layer.
  function units(map, features) {
    var streets = features.filter(function (f) { return layerOf(f) === "street"; });
    var grids = features.filter(function (f) { return layerOf(f) === "grid"; });
    var group = L.featureGroup();
    L.geoJSON(grids, {
      style: { color: "#8a97a6", weight: 0.8, fillColor: "#eef2f6", fillOpacity: 0.55 },
      onEachFeature: function (feature, shape) {
        var p = feature.properties;
        shape.bindTooltip(p.name + " · " + p.community + "（" + p.street + "）", {
          sticky: true, className: "unit-tip",
        });
      },
    }).addTo(group);
    L.geoJSON(streets, {
      style: { color: "#334155", weight: 2.2, fill: false, interactive: false },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(feature.properties.name, {
          permanent: true, direction: "center", className: "unit-label", interactive: false,
        });
      },
    }).addTo(group);
    group.addTo(map);
    return group;
  }

  // Fetch the box's data-geojson; on success show the box in place of the SVG `fallbackId`
  // and call draw(box, data); on any failure drop the box so the SVG stays.
  function mount(boxId, fallbackId, draw) {
    var box = document.getElementById(boxId);
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
        var svg = document.getElementById(fallbackId);
        if (svg) {
          svg.style.display = "none"; // the hidden attribute does not apply to <svg>
        }
        draw(box, data);
        box.classList.add("ready");
      })
      .catch(function () {
        box.remove();
      });
  }

  function whenReady(start) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  window.FazhiMap = { base: base, units: units, mount: mount, whenReady: whenReady, layerOf: layerOf };
})();
