// Maps, as an enhancement: every page that has one also gives the same places as text and fields,
// and works without this file or without the tiles. Three kinds of map element:
//   .place-picker  (forms)      a draggable marker that fills the latitude/longitude fields
//   .map-point     (item pages) one item's place, not interactive (the text above says it)
//   .map-overview  (/map)       every listed item from the GeoJSON endpoint, clustered
(function () {
  "use strict";
  if (!window.L) return;

  function escapeHtml(text) {
    return String(text == null ? "" : text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  // People who ask for less motion get no fading or animated zooming.
  const still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function baseMap(el, options) {
    el.hidden = false;
    // What only makes sense beside a map (the tile source, a link past it) shows with it.
    for (const beside of el.parentElement.querySelectorAll(".map-only")) beside.hidden = false;
    const motion = still ? { fadeAnimation: false, zoomAnimation: false, markerZoomAnimation: false } : {};
    const map = L.map(el, Object.assign(motion, options));
    map.attributionControl.setPrefix(false);
    // The attribution is plain text from the settings: escaped, never HTML.
    L.tileLayer(el.dataset.tiles, { attribution: escapeHtml(el.dataset.attribution), maxZoom: 19 }).addTo(map);
    return map;
  }

  function pin(layer, label) {
    // A div icon whose text is the marker's accessible name (Leaflet makes a keyboard marker a button).
    return L.divIcon({
      className: "map-marker map-marker--" + layer,
      html: '<span class="visually-hidden">' + escapeHtml(label) + "</span>",
      iconSize: [22, 22],
      iconAnchor: [11, 11],
      popupAnchor: [0, -10],
    });
  }

  function centre(el) {
    const [lat, lon] = (el.dataset.centre || "0,0").split(",").map(Number);
    return [lat, lon];
  }

  // -- picking a place in a form ----------------------------------------------------
  function picker(el) {
    const form = el.closest("form");
    const lat = form.querySelector('input[name="latitude"]');
    const lon = form.querySelector('input[name="longitude"]');
    const help = el.parentElement.querySelector(".place-picker-help");
    if (help) help.hidden = false;
    const known = lat.value && lon.value && isFinite(lat.value) && isFinite(lon.value);
    const start = known ? [Number(lat.value), Number(lon.value)] : centre(el);
    const map = baseMap(el, { center: start, zoom: known ? 16 : Number(el.dataset.zoom) });
    let marker = null;

    function suggestNeighbourhood(point) {
      const url = el.dataset.neighbourhoodUrl + "?latitude=" + point.lat + "&longitude=" + point.lng;
      fetch(url, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : null))
        .then((data) => {
          if (!data || !data.neighbourhood) return;
          const select = form.querySelector('select[name="neighbourhood"]');
          if (select && !select.value) select.value = data.neighbourhood;
          const boxes = form.querySelectorAll('input[name="neighbourhoods"]');
          if (boxes.length && ![...boxes].some((b) => b.checked)) {
            const box = [...boxes].find((b) => b.value === data.neighbourhood);
            if (box) box.checked = true;
          }
        })
        .catch(() => {});
    }

    function place(point, fromFields) {
      if (!marker) {
        marker = L.marker(point, { draggable: true, icon: pin("choice", el.dataset.markerLabel), title: el.dataset.markerLabel }).addTo(map);
        marker.on("dragend", () => place(marker.getLatLng(), false));
        // Arrow keys move the focused marker by about 10 metres (dragging needs a pointer).
        marker.getElement().addEventListener("keydown", (event) => {
          const step = 0.0001;
          const moves = { ArrowUp: [step, 0], ArrowDown: [-step, 0], ArrowLeft: [0, -step * 1.6], ArrowRight: [0, step * 1.6] };
          const move = moves[event.key];
          if (!move) return;
          event.preventDefault();
          event.stopPropagation();
          const at = marker.getLatLng();
          place(L.latLng(at.lat + move[0], at.lng + move[1]), false);
        });
      }
      marker.setLatLng(point);
      if (!fromFields) {
        lat.value = point.lat.toFixed(6);
        lon.value = point.lng.toFixed(6);
        suggestNeighbourhood(point);
      }
    }

    if (known) place(L.latLng(start[0], start[1]), true);
    map.on("click", (event) => place(event.latlng, false));
    for (const field of [lat, lon]) {
      field.addEventListener("change", () => {
        if (lat.value && lon.value && isFinite(lat.value) && isFinite(lon.value)) {
          const point = L.latLng(Number(lat.value), Number(lon.value));
          place(point, true);
          map.panTo(point);
        }
      });
    }
  }

  // -- one item's place ---------------------------------------------------------------
  function point(el) {
    const at = [Number(el.dataset.latitude), Number(el.dataset.longitude)];
    const map = baseMap(el, {
      center: at, zoom: Number(el.dataset.zoom) || 16,
      zoomControl: false, dragging: false, scrollWheelZoom: false, doubleClickZoom: false,
      boxZoom: false, keyboard: false, touchZoom: false,
    });
    L.marker(at, { icon: pin("choice", el.dataset.markerLabel), keyboard: false, interactive: false }).addTo(map);
  }

  // -- the overview ---------------------------------------------------------------------
  function popupContent(el, p) {
    const box = document.createElement("div");
    box.className = "map-popup";
    const title = document.createElement("a");
    title.className = "utrecht-link map-popup__title";
    title.href = p.url;
    title.textContent = p.layer === "sensors" ? p.entry_title : p.title;
    const meta = document.createElement("p");
    meta.className = "map-popup__meta";
    const kind = el.dataset["layer" + p.layer.charAt(0).toUpperCase() + p.layer.slice(1)] || p.layer;
    if (p.layer === "sensors") {
      const mobility = p.mobile === true ? el.dataset.mobileTrue : p.mobile === false ? el.dataset.mobileFalse : el.dataset.mobileNone;
      meta.textContent = kind + ": " + p.title + (p.summary ? " (" + p.summary + ")" : "") + ", " + mobility + (p.location ? ", " + p.location : "");
    } else {
      const key = "status" + p.status.split("_").map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("");
      meta.textContent = kind + " · " + (el.dataset[key] || p.status);
    }
    box.append(title, meta);
    if (p.layer !== "sensors" && p.summary) {
      const summary = document.createElement("p");
      summary.className = "map-popup__summary";
      summary.textContent = p.summary;
      box.append(summary);
    }
    return box;
  }

  function overview(el) {
    const map = baseMap(el, { center: centre(el), zoom: Number(el.dataset.zoom) });
    const clusters = L.markerClusterGroup({
      showCoverageOnHover: false,
      animate: !still,
      iconCreateFunction: (cluster) => {
        const count = cluster.getChildCount();
        const label = el.dataset.clusterLabel.replace("%(count)s", count);
        return L.divIcon({
          className: "map-cluster",
          html: '<span aria-hidden="true">' + count + '</span><span class="visually-hidden">' + escapeHtml(label) + "</span>",
          iconSize: [36, 36],
        });
      },
    });
    map.addLayer(clusters);
    // From a marker's popup, Tab reaches the link; closing it returns to the marker.
    map.on("popupopen", (event) => {
      const link = event.popup.getElement().querySelector("a");
      if (link) link.focus();
    });
    // Escape closes a summary wherever focus is inside the map (Leaflet listens only while the map itself has focus).
    el.addEventListener("keydown", (event) => {
      if (event.key === "Escape") map.closePopup();
    });
    map.on("popupclose", (event) => {
      const source = event.popup._source;
      const target = source && source.getElement && source.getElement();
      if (target && document.body.contains(target)) target.focus();
    });
    fetch(el.dataset.features, { headers: { Accept: "application/geo+json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        const markers = data.features.map((feature) => {
          const [lon, lat] = feature.geometry.coordinates;
          const p = feature.properties;
          const label = (p.layer === "sensors" ? p.title + " (" + p.entry_title + ")" : p.title);
          const marker = L.marker([lat, lon], { icon: pin(p.layer, label), title: label, riseOnHover: true });
          marker.bindPopup(() => popupContent(el, p));
          return marker;
        });
        clusters.addLayers(markers);
        if (markers.length) map.fitBounds(clusters.getBounds(), { maxZoom: 16, padding: [24, 24] });
      })
      .catch(() => {
        el.classList.add("map-canvas--failed");
      });
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const el of document.querySelectorAll(".place-picker")) picker(el);
    for (const el of document.querySelectorAll(".map-point")) point(el);
    for (const el of document.querySelectorAll(".map-overview")) overview(el);
  });
})();
