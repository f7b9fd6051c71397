/* The atlas map's sites, drawn in the browser (inlined into the map page by geo/mapview.py).
 *
 * The page is a Streamlit custom component: it says it is ready, then every script run sends
 * it {message, height}. The payload (geo/payload.py: the placed sites as columns) is
 * fetched once; each message (mapview.map_message) masks it, and the shown sites are
 * clustered with supercluster. Only the clusters and sites in view are drawn, uncertainty
 * circles only from options.circle_zoom on, on one canvas. A click on a site sends its id
 * back; nothing else the user does on the map reruns the app.
 */
function atlasMap(map, regionLayer, surveyLayer, options) {
  'use strict';
  var payload = null, index = null, shown = null, message = null, pending = null, clicks = 0, lastBounds = '';
  var markers = L.layerGroup().addTo(map);
  var circles = L.layerGroup().addTo(map);
  var canvas = L.canvas({padding: 0.3});
  var surveyParts = surveyLayer ? surveyLayer.getLayers() : [];
  window.atlasLeaflet = map;

  function post(type, data) {
    window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data || {}), '*');
  }

  function fetchJson(url, gzipped) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ': ' + response.status); }
      api.times.arrived = performance.now();
      return gzipped ? new Response(response.body.pipeThrough(new DecompressionStream('gzip'))).json() : response.json();
    });
  }

  function fetchPayload() {
    api.times.asked = performance.now();
    var plain = function () { return fetchJson(options.payload, false); };
    var first = options.payload_gzip && window.DecompressionStream ? fetchJson(options.payload_gzip, true).catch(plain) : plain();
    return first.then(function (data) { api.times.parsed = performance.now(); return data; });
  }

  function decodeMask(text, rows) {
    var bytes = atob(text), out = new Uint8Array(rows);
    for (var i = 0; i < rows; i++) { out[i] = (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1; }
    return out;
  }

  function tooltip(i) {
    var codes = payload.codes, lines = ['<b>' + payload.name[i] + '</b>'];
    var kind = codes.kind_label[payload.kind[i]] || 'Other', status = codes.status[payload.status[i]] || 'Unknown';
    lines.push(kind + ' · ' + status);
    lines.push(payload.commodities[i].split(',').filter(Boolean).map(function (s) {
      return codes.commodity[s] || s;
    }).join(', '));
    lines.push(codes.region[payload.region[i]] || '');
    if (payload.precision[i] !== 0) {
      lines.push('<i>' + options.precision_labels[payload.precision[i]] + ', ± ' + payload.radius_km[i] + ' km</i>');
    }
    if (payload.confidence[i] >= 0) {
      lines.push('<i>Found in the text only, not in the registry (confidence ' +
        Math.round(payload.confidence[i] * 100) + '%)</i>');
    }
    return lines.join('<br>') + '<br><span class="atlas-hint">Click for everything known about it</span>';
  }

  function kindClass(i) {
    return options.kind_classes[payload.kind[i] < 0 ? options.kind_classes.length - 1 : payload.kind[i]];
  }

  function siteMarker(i) {
    var classes = 'atlas-pin atlas-' + kindClass(i) + (payload.precision[i] === 0 ? '' : ' atlas-approx');
    classes += payload.confidence[i] >= 0 ? ' atlas-extracted' : '';
    classes += message && message.site === payload.id[i] ? ' atlas-selected' : '';
    var icon = L.divIcon({className: classes, iconSize: [30, 30],
      html: '<span data-site="' + payload.id[i] + '">' + payload.label[i] + '</span>'});
    var marker = L.marker([payload.lat[i], payload.lon[i]], {icon: icon, riseOnHover: true});
    marker.bindTooltip(function () { return tooltip(i); }, {direction: 'top', offset: [0, -14], className: 'atlas-tip'});
    marker.on('click', function () {
      clicks += 1;
      post('streamlit:setComponentValue', {value: {site: payload.id[i], click: clicks}, dataType: 'json'});
    });
    return marker;
  }

  function clusterMarker(cluster) {
    var count = cluster.properties.point_count, size = count < 10 ? 32 : count < 100 ? 38 : 46;
    var label = cluster.properties.point_count_abbreviated;
    var icon = L.divIcon({html: String(label), className: 'atlas-cluster', iconSize: [size, size]});
    var at = [cluster.geometry.coordinates[1], cluster.geometry.coordinates[0]];
    var marker = L.marker(at, {icon: icon, title: count + ' sites: click to zoom in'});
    marker.on('click', function () { map.setView(at, index.getClusterExpansionZoom(cluster.id)); });
    return marker;
  }

  function draw() {
    if (!index) { return; }
    var b = map.getBounds(), zoom = Math.round(map.getZoom());
    var box = [Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()), Math.min(180, b.getEast()),
      Math.min(85, b.getNorth())];
    var found = index.getClusters(box, zoom), drawn = [], ring = [];
    found.forEach(function (item) {
      if (item.properties.cluster) { drawn.push(clusterMarker(item)); return; }
      var i = item.properties.i;
      drawn.push(siteMarker(i));
      if (zoom >= options.circle_zoom && payload.radius_km[i] > 0 && ring.length < options.max_circles) {
        var colour = options.kind_colours[payload.kind[i] < 0 ? options.kind_colours.length - 1 : payload.kind[i]];
        ring.push(L.circle([payload.lat[i], payload.lon[i]], {radius: Math.max(payload.radius_km[i], 0.1) * 1000,
          color: colour, fillColor: colour, weight: 1.5, dashArray: '5 5', fillOpacity: 0.07, interactive: false,
          renderer: canvas}));
      }
    });
    markers.clearLayers();
    circles.clearLayers();
    drawn.forEach(function (m) { markers.addLayer(m); });
    ring.forEach(function (c) { circles.addLayer(c); });
  }

  function restyle() {
    regionLayer.eachLayer(function (layer) {
      var style = message.regions[layer.feature.properties.n];
      layer.setStyle({fillColor: style[0]});
      layer.feature.properties.tooltip = style[1];
    });
    var ramp = document.querySelector('.atlas-legend .ramp');
    if (ramp) { ramp.innerHTML = message.ramp; }
    var areas = new Set(message.areas);
    surveyParts.forEach(function (layer) {
      if (areas.has(layer.feature.properties.n)) { surveyLayer.addLayer(layer); } else { surveyLayer.removeLayer(layer); }
    });
  }

  function apply(next) {
    message = next;
    shown = decodeMask(next.mask, payload.id.length);
    var points = [];
    for (var i = 0; i < shown.length; i++) {
      if (shown[i]) {
        points.push({type: 'Feature', properties: {i: i}, geometry: {type: 'Point',
          coordinates: [payload.lon[i], payload.lat[i]]}});
      }
    }
    api.times.points = performance.now();
    index = new Supercluster({radius: 40, maxZoom: 8}).load(points);
    api.times.clustered = performance.now();
    restyle();
    var bounds = JSON.stringify(next.bounds);
    if (bounds !== lastBounds) {
      lastBounds = bounds;
      map.fitBounds(next.bounds, {paddingBottomRight: [0, options.legend_height]});
    }
    draw();
    api.times.drawn = api.times.drawn || performance.now();
    api.ready = true;
  }

  var api = {
    ready: false,
    /** When (performance.now(), ms) the payload was asked for, arrived, was parsed, clustered and first drawn. */
    times: {},
    /** The ids of the sites the current selection shows (drawn or in a cluster). */
    shownIds: function () {
      return payload.id.filter(function (_, i) { return shown[i]; });
    },
    /** Show a selection (a map_message) as a script run would: what the benchmark times. */
    apply: function (next) { apply(next); },
  };

  map.on('moveend', draw);
  window.addEventListener('message', function (event) {
    if (!event.data || event.data.type !== 'streamlit:render') { return; }
    var args = event.data.args;
    post('streamlit:setFrameHeight', {height: args.height});
    if (payload) { if (JSON.stringify(args.message) !== JSON.stringify(message)) { apply(args.message); } return; }
    var first = pending === null;
    pending = args.message;
    if (first) {
      request.then(function (data) {
        payload = data;
        apply(pending);
      });
    }
  });
  // The payload is asked for at once, while Streamlit sends the first render: the gzipped
  // file through the app's static route (unpacked here), else the plain one beside the page.
  var request = fetchPayload();
  post('streamlit:componentReady', {apiVersion: 1});
  return api;
}
