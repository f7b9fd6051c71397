/* The atlas map's sites, drawn in the browser (inlined into the map page by geo/mapview.py).
 *
 * The page is a Streamlit custom component: it says it is ready, then every script run sends
 * it {message, height}. The payload (geo/payload.py: the placed sites as columns in one binary
 * file) is fetched once, off the main thread (payload_reader.js, started from the page's head),
 * and used where it lies; each message (mapview.map_message) masks it.
 * The shown sites near the view are gathered in a grid of cells, one cluster per cell, from a
 * loop over the columns at each redraw: no index to build or hold, however many sites. Only
 * the clusters and sites in and around the view are drawn: what is in view at once, then (once
 * the browser has shown it) half a view on each side, so that a pan within that draws nothing; a marker
 * still there after a move is kept. Uncertainty circles only from options.circle_zoom on, on
 * one canvas. A click on a site sends its id
 * back; so do the map's bounds after a move, but only while the app asks for them
 * (message.report_bounds, "only sites in view"); nothing else the user does on the map reruns the app.
 *
 * The view (centre, zoom, basemap) lives in the parent page's URL (options.view_params),
 * written here: the component is served from the app's origin, so it may use the page's
 * history. One move (after a short pause) is one history entry; Back and Forward set the
 * view from the URL again. Streamlit writes the URL too (the filters): its writes are
 * wrapped so they keep the view, and one that changes nothing else adds no entry.
 */
function atlasMap(map, regionLayer, surveyLayer, basemaps, options) {
  'use strict';
  var payload = null, shown = null, message = null, pending = null, clicks = 0, lastBounds = '';
  var host = window.parent, defaultBasemap = Object.keys(basemaps)[0], basemap = defaultBasemap, written = null, selectedIndex = -1, refocus = false, reported = '';
  var viewTimer = null, boundsTimer = null, restoring = false, inUrl = false, scrollTo = null, acted = false, resizing = false, resizeTimer = null, urlView = readView(), navigated = urlView;
  var markers = L.layerGroup().addTo(map), onMap = new Map(), ringed = new Map(), drawnArea = null, drawnZoom = null;
  var aroundFrame = null, aroundTimer = null;
  var circles = L.layerGroup().addTo(map);
  var canvas = L.canvas({padding: 0.3});
  var surveyParts = surveyLayer ? surveyLayer.getLayers() : [];
  window.atlasLeaflet = map;

  function post(type, data) {
    window.parent.postMessage(Object.assign({isStreamlitMessage: true, type: type}, data || {}), '*');
  }

  function decodeMask(text, rows) {
    var bytes = atob(text), out = new Uint8Array(rows);
    for (var i = 0; i < rows; i++) { out[i] = (bytes.charCodeAt(i >> 3) >> (i & 7)) & 1; }
    return out;
  }

  function tooltip(i) {
    var codes = payload.codes, lines = ['<b>' + payload.text('name', i) + '</b>'];
    var kind = codes.kind_label[payload.kind[i]] || 'Other', status = codes.status[payload.status[i]] || 'Unknown';
    lines.push(kind + ' · ' + status);
    lines.push(payload.text('commodities', i).split(',').filter(Boolean).map(function (s) {
      return codes.commodity[s] || s;
    }).join(', '));
    lines.push(codes.region[payload.region[i]] || '');
    if (payload.precision[i] !== 0) {
      // float32 keeps 7 digits: 3.7 is stored as 3.70000005
      lines.push('<i>' + options.precision_labels[payload.precision[i]] + ', ± ' +
        Number(payload.radius_km[i].toPrecision(6)) + ' km</i>');
    }
    if (payload.confidence[i] >= 0) {
      lines.push('<i>Found in the text only, not in the registry (confidence ' +
        payload.confidence[i] + '%)</i>');
    }
    return lines.join('<br>') + '<br><span class="atlas-hint">Click for everything known about it</span>';
  }

  function kindClass(i) {
    return options.kind_classes[payload.kind[i] < 0 ? options.kind_classes.length - 1 : payload.kind[i]];
  }

  function siteMarker(i) {
    var classes = 'atlas-pin atlas-' + kindClass(i) + (payload.precision[i] === 0 ? '' : ' atlas-approx');
    classes += payload.confidence[i] >= 0 ? ' atlas-extracted' : '';
    classes += i === selectedIndex ? ' atlas-selected' : '';
    var id = payload.text('id', i), span = document.createElement('span');
    span.dataset.site = id;  // an id is not escaped (it goes back to the app as it is): set, not written as HTML
    span.innerHTML = payload.text('label', i);
    var icon = L.divIcon({className: classes, iconSize: [30, 30], html: span});
    var marker = L.marker([payload.lat[i], payload.lon[i]], {icon: icon, riseOnHover: true, world: [payload.x[i], payload.y[i]]});
    marker.bindTooltip(function () { return tooltip(i); }, {direction: 'top', offset: [0, -14], className: 'atlas-tip'});
    function open() {
      clicks += 1;
      if (narrow()) { scrollTo = id; }
      post('streamlit:setComponentValue', {value: {type: 'site', site: id, click: clicks}, dataType: 'json'});
    }
    marker.on('click', open);
    marker.on('add', function () {
      var element = marker.getElement();
      element.setAttribute('aria-label', siteLabel(i));
      element.dataset.key = 'site:' + id;
      L.DomEvent.on(element, 'keydown', function (event) {
        if (event.key === 'Enter' || event.key === ' ') { L.DomEvent.preventDefault(event); open(); }
      });
    });
    if (i === selectedIndex) { marker.setZIndexOffset(1000); }
    return marker;
  }

  /** A marker's accessible name: "Kuirektykol, deposit, rare earths" (the payload's texts are escaped HTML). */
  function siteLabel(i) {
    var codes = payload.codes, kind = (codes.kind_label[payload.kind[i]] || 'site').toLowerCase();
    var commodities = payload.text('commodities', i).split(',').filter(Boolean).map(function (s) {
      return (codes.commodity[s] || s).toLowerCase();
    });
    return unescape([payload.text('name', i), kind].concat(commodities.length ? [commodities.join(', ')] : []).join(', '));
  }

  var decoder = document.createElement('textarea');
  /** The text of escaped HTML: a textarea's content is read as text (entities decoded, no elements made). */
  function unescape(text) {
    decoder.innerHTML = text;
    return decoder.value;
  }

  /** A count as a cluster shows it: 999, 1.5k, 12k, 1.2M. */
  function abbreviated(count) {
    var short = function (value, unit) { return value.toFixed(1).replace(/\.0$/, '') + unit; };
    if (count < 1000) { return String(count); }
    if (count < 9950) { return short(count / 1000, 'k'); }
    return count < 999500 ? Math.round(count / 1000) + 'k' : short(count / 1e6, 'M');
  }

  /** A cluster's marker: its count, at the mean of its sites; a click or Enter zooms to where they part. */
  function clusterMarker(item) {
    var count = item.count, size = count < 10 ? 32 : count < 100 ? 38 : 46;
    var icon = L.divIcon({html: abbreviated(count), className: 'atlas-cluster', iconSize: [size, size]});
    var marker = L.marker([worldLatitude(item.y), worldLongitude(item.x)], {icon: icon, title: count + ' sites: click to zoom in',
      world: [item.x, item.y]});
    function zoomIn() {
      var box = item.box, bounds = L.latLngBounds([worldLatitude(box[3]), worldLongitude(box[0])],
        [worldLatitude(box[1]), worldLongitude(box[2])]);
      var zoom = Math.min(Math.max(map.getBoundsZoom(bounds), Math.round(map.getZoom()) + 1), options.focus_zoom);
      map.setView(bounds.getCenter(), zoom);
    }
    marker.on('click', zoomIn);
    marker.on('add', function () {
      var element = marker.getElement();
      element.setAttribute('aria-label', 'cluster of ' + count + ' sites: press Enter to zoom in');
      element.dataset.key = 'cluster';
      L.DomEvent.on(element, 'keydown', function (event) {
        if (event.key !== 'Enter' && event.key !== ' ') { return; }
        L.DomEvent.preventDefault(event);
        refocus = true;
        zoomIn();
      });
    });
    return marker;
  }

  // --- The grid: the shown sites near the view, one cluster per cell -------------------------------

  /** The inverse of atlasWorldX and atlasWorldY (payload_reader.js). */
  function worldLongitude(x) { return x * 360 - 180; }
  function worldLatitude(y) { return 360 / Math.PI * Math.atan(Math.exp((0.5 - y) * 2 * Math.PI)) - 90; }

  /** How many pixels span the world at ``zoom`` (Leaflet's 256-pixel tiles). */
  function worldPixels(zoom) { return 256 * Math.pow(2, zoom); }

  /** How many grid cells span the world at ``zoom``: a cell is options.cluster_px wide on screen. */
  function cellsAcross(zoom) { return worldPixels(zoom) / options.cluster_px; }

  /** Whether the point (x, y) of the unit square lies in ``area`` [x0, y0, x1, y1]. */
  function inArea(x, y, area) { return x >= area[0] && x <= area[2] && y >= area[1] && y <= area[3]; }

  /** The map's view on the unit square, grown by ``margin`` of its size on each side: [x0, y0, x1, y1]. */
  function viewArea(margin) {
    var b = map.getBounds(), x0 = atlasWorldX(b.getWest()), x1 = atlasWorldX(b.getEast());
    var y0 = atlasWorldY(b.getNorth()), y1 = atlasWorldY(b.getSouth()), dx = (x1 - x0) * margin, dy = (y1 - y0) * margin;
    var clamp = function (value) { return Math.min(1, Math.max(0, value)); };
    // The map may be dragged past the antimeridian: the part of the view on the world (maybe none) counts.
    return [clamp(x0 - dx), clamp(y0 - dy), clamp(x1 + dx), clamp(y1 + dy)];
  }

  function within(inner, outer) {
    return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3];
  }

  /** The shown sites in ``area`` at ``zoom``, one item per cluster: {key, count, row (of its only site,
   * else -1), x, y (their mean), box [x0, y0, x1, y1]}; also those of one ring of cells around the area,
   * since a cell of the area may join a cluster there. From options.focus_zoom on, every site is an
   * item of its own. */
  function gather(zoom, area) {
    var rows = payload.rows, xs = payload.x, y = payload.y, items = [], i;
    if (area[0] > area[2] || area[1] > area[3]) { return items; }
    if (zoom >= options.focus_zoom) {
      for (i = 0; i < rows; i++) {
        if (shown[i] && inArea(xs[i], y[i], area)) {
          items.push({key: 's' + i, count: 1, row: i});
        }
      }
      return items;
    }
    // Three rings of cells around the area are gathered: a cell's cluster depends on two rings around it
    // (joins), so the clusters of the area and of the ring drawn around it are those of a gather of the world.
    var across = cellsAcross(zoom), c0 = Math.floor(area[0] * across) - 3, r0 = Math.floor(area[1] * across) - 3;
    var cols = Math.floor(area[2] * across) + 3 - c0 + 1, rowsOfCells = Math.floor(area[3] * across) + 3 - r0 + 1;
    var n = cols * rowsOfCells;
    var count = new Uint32Array(n), first = new Int32Array(n), sx = new Float64Array(n), sy = new Float64Array(n);
    var box = new Float64Array(4 * n);
    for (i = 0; i < rows; i++) {
      if (!shown[i]) { continue; }
      var x = xs[i], yi = y[i], col = (x * across | 0) - c0, row = (yi * across | 0) - r0;  // x, y >= 0: | 0 floors
      if (col < 0 || row < 0 || col >= cols || row >= rowsOfCells) { continue; }
      var cell = row * cols + col, k = 4 * cell;
      if (count[cell] === 0) {
        first[cell] = i;
        box[k] = box[k + 2] = x;
        box[k + 1] = box[k + 3] = yi;
      } else {
        box[k] = Math.min(box[k], x); box[k + 1] = Math.min(box[k + 1], yi);
        box[k + 2] = Math.max(box[k + 2], x); box[k + 3] = Math.max(box[k + 3], yi);
      }
      count[cell] += 1;
      sx[cell] += x;
      sy[cell] += yi;
    }
    var parent = joins(zoom, cols, count, sx, sy), scale = worldPixels(zoom), c;
    for (c = 0; c < n; c++) {
      var p = parent[c], k4 = 4 * c, p4 = 4 * p;
      if (p < 0) { continue; }
      count[p] += count[c];
      sx[p] += sx[c];
      sy[p] += sy[c];
      box[p4] = Math.min(box[p4], box[k4]); box[p4 + 1] = Math.min(box[p4 + 1], box[k4 + 1]);
      box[p4 + 2] = Math.max(box[p4 + 2], box[k4 + 2]); box[p4 + 3] = Math.max(box[p4 + 3], box[k4 + 3]);
    }
    for (c = 0; c < n; c++) {
      var inside = c % cols >= 2 && c % cols < cols - 2 && c >= 2 * cols && c < n - 2 * cols;
      if (parent[c] >= 0 || count[c] === 0 || !inside) { continue; }
      if (count[c] === 1) { items.push({key: 's' + first[c], count: 1, row: first[c]}); continue; }
      var mx = sx[c] / count[c], my = sy[c] / count[c];
      // The key names the cluster's cell, count and place: a marker is kept only for the very same cluster.
      items.push({key: ['c' + zoom, c0 + c % cols, r0 + Math.floor(c / cols), count[c], Math.round(mx * scale),
        Math.round(my * scale)].join(':'), count: count[c], row: -1, x: mx, y: my, box: box.slice(4 * c, 4 * c + 4)});
    }
    return items;
  }

  /** Which cell each cell of the grid joins (-1: none), so that clusters of neighbouring cells do not overlap:
   * a cell joins the neighbour with the most sites among those whose sites' mean is within options.join_px
   * of its own and that have more sites than it (on a tie, the lower cell), unless that neighbour joins one
   * itself. It depends only on two rings of cells around a cell, so a gather of a few cells around a site
   * (alone) decides as the gather of the whole view does. */
  function joins(zoom, cols, count, sx, sy) {
    var n = count.length, want = new Int32Array(n).fill(-1), parent = new Int32Array(n).fill(-1);
    var near = options.join_px / worldPixels(zoom), limit = near * near, c;
    for (c = 0; c < n; c++) {
      if (!count[c]) { continue; }
      var col = c % cols, x = sx[c] / count[c], y = sy[c] / count[c];
      for (var dr = -1; dr <= 1; dr++) {
        for (var dc = -1; dc <= 1; dc++) {
          var other = c + dr * cols + dc;
          if ((!dr && !dc) || col + dc < 0 || col + dc >= cols || other < 0 || other >= n || !count[other]) { continue; }
          var more = count[other] > count[c] || (count[other] === count[c] && other < c);
          var dx = sx[other] / count[other] - x, dy = sy[other] / count[other] - y;
          var best = want[c] < 0 || count[other] > count[want[c]] || (count[other] === count[want[c]] && other < want[c]);
          if (more && best && dx * dx + dy * dy < limit) { want[c] = other; }
        }
      }
    }
    for (c = 0; c < n; c++) { if (want[c] >= 0 && want[want[c]] < 0) { parent[c] = want[c]; } }
    return parent;
  }

  /** Whether site i is drawn on its own at ``zoom``. */
  function alone(i, zoom) {
    var at = [payload.x[i], payload.y[i], payload.x[i], payload.y[i]];
    return gather(zoom, at).some(function (item) { return item.row === i; });
  }

  /** Draw what is in view, and once the browser has shown it what is around it; a move that stays inside what is
   * drawn draws nothing. ``fresh`` (a new selection) makes every marker anew; otherwise a marker that
   * is still there is kept. */
  function draw(fresh) {
    if (!shown) { return; }
    var zoom = Math.round(map.getZoom()), view = viewArea(0), focused = focusedKey();  // before a fresh draw takes markers off
    if (fresh) {
      markers.clearLayers();
      circles.clearLayers();
      onMap = new Map();
      ringed = new Map();
    } else if (zoom === drawnZoom && within(view, drawnArea)) {
      tabStops(view);
      return;
    }
    drawArea(zoom, view, view, focused);
    // Half a view around it once the browser has shown the view (after its next frame): a pan within that
    // then draws nothing.
    cancelAnimationFrame(aroundFrame);
    clearTimeout(aroundTimer);
    aroundFrame = requestAnimationFrame(function () {
      aroundTimer = setTimeout(function () {
        if (Math.round(map.getZoom()) !== zoom) { return; }
        var start = performance.now();
        drawArea(zoom, viewArea(0.5), viewArea(0), focusedKey());
        api.times.around = performance.now() - start;
      }, 0);
    });
  }

  /** The key of the marker the keyboard is on (data-key), or null. */
  function focusedKey() {
    var active = document.activeElement;
    return active && active.dataset && active.dataset.key || null;
  }

  /** Draw the shown sites of ``area`` at ``zoom``; ``view`` is what is in view (its sites get circles first,
   * its markers are the tab stops), ``focused`` the key of the marker the keyboard was on. */
  function drawArea(zoom, area, view, focused) {
    drawnZoom = zoom;
    drawnArea = area;
    var items = gather(zoom, area), next = new Map(), rings = new Map(), later = [];
    var circled = zoom >= options.circle_zoom;
    items.forEach(function (item) {
      next.set(item.key, onMap.get(item.key) || (item.row >= 0 ? siteMarker(item.row) : clusterMarker(item)));
      if (circled && item.row >= 0 && payload.radius_km[item.row] > 0) {
        if (inArea(payload.x[item.row], payload.y[item.row], view)) { ring(item.row); } else { later.push(item.row); }
      }
    });
    later.forEach(ring);
    function ring(i) {
      if (rings.size < options.max_circles) { rings.set(i, ringed.get(i) || uncertainty(i)); }
    }
    var active = document.activeElement;
    swap(markers, onMap, next);
    swap(circles, ringed, rings);
    onMap = next;
    ringed = rings;
    tabStops(view);
    // A redraw replaces the markers: keep the keyboard on the same site; when that is no longer drawn on its
    // own (a cluster zoomed into, a site now in a cluster), on the first marker in view.
    var again = focused && focused !== 'cluster' ? document.querySelector('[data-key="' + CSS.escape(focused) + '"]') : null;
    if (!again && (refocus || focused)) { again = document.querySelector('.leaflet-marker-icon[data-key][tabindex="0"]'); }
    refocus = false;
    if (again && again !== active) { again.focus({preventScroll: true}); }
  }

  /** Take off ``group`` the layers of ``before`` not in ``after``, and put on it those new in ``after``. */
  function swap(group, before, after) {
    before.forEach(function (layer, key) { if (!after.has(key)) { group.removeLayer(layer); } });
    after.forEach(function (layer, key) { if (!before.has(key)) { group.addLayer(layer); } });
  }

  /** Site i's circle of uncertainty, on the canvas. */
  function uncertainty(i) {
    var colour = options.kind_colours[payload.kind[i] < 0 ? options.kind_colours.length - 1 : payload.kind[i]];
    return L.circle([payload.lat[i], payload.lon[i]], {radius: Math.max(payload.radius_km[i], 0.1) * 1000,
      color: colour, fillColor: colour, weight: 1.5, dashArray: '5 5', fillOpacity: 0.07, interactive: false,
      renderer: canvas});
  }

  /** Only the markers in view are tab stops: the keyboard must not reach (and scroll to) those drawn around it. */
  function tabStops(view) {
    onMap.forEach(function (marker) {
      var element = marker.getElement(), at = marker.options.world;
      var stop = inArea(at[0], at[1], view) ? '0' : '-1';
      if (element && element.getAttribute('tabindex') !== stop) { element.setAttribute('tabindex', stop); }
    });
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
    var previous = message;
    message = next;
    selectedIndex = next.site ? payload.find('id', next.site) : -1;
    shown = decodeMask(next.mask, payload.rows);
    restyle();
    var bounds = JSON.stringify(next.bounds), first = previous === null, moved = false;
    if (first) { foldLegend(); }  // the legend is added after this script
    // Opening a URL with a view, or Back/Forward to one: the URL's view wins over the selection's.
    var urlWins = Boolean(navigated && (navigated.center || navigated.zoom !== undefined));
    navigated = null;
    if (urlWins) {
      lastBounds = bounds;
      if (first) { setView(urlView); }
    } else if (bounds !== lastBounds) {
      lastBounds = bounds;
      map.fitBounds(next.bounds, {paddingBottomRight: [0, options.legend_height], animate: false});
      moved = true;
    }
    draw(true);
    api.times.drawn = api.times.drawn || performance.now();
    if (selectedIndex >= 0 && shown[selectedIndex] && (!previous || previous.site !== next.site) && !urlWins) {
      focusSite(selectedIndex);
      moved = true;
    }
    clearTimeout(viewTimer);
    if (first) {
      written = viewString();
      inUrl = Boolean(urlView);
    } else if (moved) {
      writeView(true);  // part of the step the script run made (a filter, a row click): no entry of its own
    }
    if (next.report_bounds && (!previous || !previous.report_bounds)) { reported = ''; reportBounds(); }
    if (scrollTo && next.site === scrollTo) { scrollTo = null; showDetail(next.site, 50, null, 0); }
    api.ready = true;
  }

  /** On a narrow page the detail is below the map and the table: once the run has drawn it and the page
   * has stopped moving (the rest of the run may still change what is above it), scroll to it. */
  function showDetail(site, tries, lastTop, still) {
    var detail = host.document.querySelector('.atlas-detail[data-site="' + CSS.escape(site) + '"]');
    var top = detail ? detail.getBoundingClientRect().top : null;
    still = detail && top === lastTop ? still + 1 : 0;
    if (still >= 3 || (detail && tries === 0)) {
      detail.scrollIntoView({block: 'start'});
      // Streamlit's header floats over the page's top: scroll the detail out from under it.
      var header = host.document.querySelector('[data-testid="stHeader"]');
      var gap = (header ? header.getBoundingClientRect().bottom : 0) + 8 - detail.getBoundingClientRect().top;
      for (var box = detail.parentElement; gap > 0 && box; box = box.parentElement) {
        if (box.scrollTop > 0) { box.scrollTop -= gap; break; }
      }
      return;
    }
    if (tries > 0) { setTimeout(function () { showDetail(site, tries - 1, top, still); }, 100); }
  }

  // --- The selected site: in view, out of any cluster, clear of the legend ------------------------

  /** The zoom from which site i is drawn on its own, from the current zoom on. */
  function unclusteredZoom(i) {
    for (var zoom = Math.max(Math.round(map.getZoom()), 0); zoom < options.focus_zoom; zoom++) {
      if (alone(i, zoom)) { return zoom; }
    }
    return options.focus_zoom;
  }

  /** Whether a point of the map's container lies under the legend (or the tile notice), with a margin. */
  function covered(point) {
    var frame = map.getContainer().getBoundingClientRect(), margin = 24;
    return Array.prototype.some.call(document.querySelectorAll('.atlas-legend, .atlas-notice'), function (el) {
      var r = el.getBoundingClientRect();
      if (!r.width) { return false; }
      return point.x > r.left - frame.left - margin && point.x < r.right - frame.left + margin &&
        point.y > r.top - frame.top - margin && point.y < r.bottom - frame.top + margin;
    });
  }

  /** Bring site i into view on its own, and clear of the legend; do nothing when it already is. */
  function focusSite(i) {
    var at = L.latLng(payload.lat[i], payload.lon[i]), zoom = Math.max(map.getZoom(), unclusteredZoom(i));
    var size = map.getSize(), point = map.latLngToContainerPoint(at), margin = 30;
    var inside = point.x > margin && point.y > margin && point.x < size.x - margin && point.y < size.y - margin;
    if (zoom === map.getZoom() && inside && !covered(point)) { return; }
    map.setView(at, zoom, {animate: false});
    var centre = map.latLngToContainerPoint(at);
    if (!covered(centre)) { return; }
    var legend = document.querySelector('.atlas-legend').getBoundingClientRect();
    var frame = map.getContainer().getBoundingClientRect();
    // The legend sits bottom right: put the site above it (or left of it when the map is short).
    var above = legend.top - frame.top - margin, left = legend.left - frame.left - margin;
    var target = above > margin ? L.point(centre.x, above) : L.point(Math.max(left, margin), centre.y);
    map.panBy(centre.subtract(target), {animate: false});
  }

  // --- The view in the URL, Back and Forward ------------------------------------------------------

  function params() { return options.view_params; }  // [centre, zoom, basemap] parameter names

  function viewString() {
    var c = map.getCenter(), names = params();
    var query = new URLSearchParams();
    query.set(names[0], c.lat.toFixed(4) + ',' + c.lng.toFixed(4));
    query.set(names[1], String(Math.round(map.getZoom() * 100) / 100));
    query.set(names[2], basemap);
    return query.toString();
  }

  /** The view the page's URL holds, or null: {center: [lat, lon], zoom, basemap}, each only when valid. */
  function readView() {
    var query = new URLSearchParams(host.location.search), names = options.view_params, view = {};
    var centre = (query.get(names[0]) || '').split(',').map(Number), zoom = Number(query.get(names[1]));
    if (centre.length === 2 && centre.every(isFinite) && Math.abs(centre[0]) <= 90 && Math.abs(centre[1]) <= 180) {
      view.center = centre;
    }
    if (query.get(names[1]) && isFinite(zoom) && zoom >= options.zoom_range[0] && zoom <= options.zoom_range[1]) {
      view.zoom = zoom;
    }
    if (basemaps[query.get(names[2])]) { view.basemap = query.get(names[2]); }
    return view.center || view.zoom || view.basemap ? view : null;
  }

  function setView(view) {
    if (view.basemap) { useBasemap(view.basemap); }
    if (view.center || view.zoom !== undefined) {
      map.setView(view.center || map.getCenter(), view.zoom === undefined ? map.getZoom() : view.zoom, {animate: false});
    }
  }

  /** ``url`` (what Streamlit is about to write) with the map's view in it, once the map has a view. */
  function withView(url) {
    var target = new URL(url, host.location.href);
    if (!inUrl) { return target.toString(); }
    var view = new URLSearchParams(written);
    params().forEach(function (name) { target.searchParams.set(name, view.get(name)); });
    return target.toString();
  }

  var history = host.history, original = host.__atlasHistory || {push: history.pushState, replace: history.replaceState};
  host.__atlasHistory = original;
  history.pushState = function (state, title, url) {
    if (url === undefined || url === null) { return original.push.apply(history, arguments); }
    var target = withView(url), same = canonical(target) === canonical(host.location.href);
    navigated = null;  // a step of the user's own (a filter): the selection's view applies again
    // A write that only drops or restates the view (a script run) is no step of its own.
    return (same ? original.replace : original.push).call(history, state, title, same ? host.location.href : target);
  };
  history.replaceState = function (state, title, url) {
    return original.replace.call(history, state, title, url === undefined || url === null ? url : withView(url));
  };
  window.addEventListener('pagehide', function () {
    history.pushState = original.push;
    history.replaceState = original.replace;
    host.removeEventListener('popstate', onPopState);
  });

  /** Put the map's view in the URL: a new history entry, or with ``replace`` the current one. */
  function writeView(replace) {
    viewTimer = null;
    acted = false;
    var view = viewString();
    if (view === written) { return; }
    written = view;
    inUrl = true;
    (replace ? original.replace : original.push).call(history, history.state, '', withView(host.location.href));
  }

  /** The same URL however its query is spelt (Streamlit and URLSearchParams encode some characters apart). */
  function canonical(url) {
    var parsed = new URL(url, host.location.href);
    parsed.search = new URLSearchParams(parsed.search).toString();
    return parsed.toString();
  }

  function onMove() {
    if (restoring) { return; }
    if (resizing) { resizing = false; clearTimeout(resizeTimer); return; }
    if (!api.ready) { return; }
    // Only what the user did is a step (a drag, the wheel, a button, a key): no other move writes the URL.
    if (!acted) { return; }
    navigated = null;
    clearTimeout(viewTimer);
    viewTimer = setTimeout(writeView, options.view_pause_ms || 500);
  }

  function onPopState() {
    clearTimeout(viewTimer);
    var view = readView();
    navigated = view;
    restoring = true;
    useBasemap(view && view.basemap || defaultBasemap);
    if (view && (view.center || view.zoom !== undefined)) {
      setView(view);
    } else if (message) {
      map.fitBounds(message.bounds, {paddingBottomRight: [0, options.legend_height], animate: false});
    }
    written = viewString();
    inUrl = Boolean(view);
    restoring = false;
  }
  host.addEventListener('popstate', onPopState);
  ['mousedown', 'wheel', 'touchstart', 'keydown', 'click'].forEach(function (name) {
    map.getContainer().addEventListener(name, function () { acted = true; }, true);
  });

  /** A resize (the frame getting its height, a phone turned) is no move of the user's: keep the view. */
  function onResize() {
    // Leaflet sends the moveend of a resize about 200 ms later: that one is no step either.
    resizing = true;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { resizing = false; }, 400);
    var dragging = map.dragging && map.dragging._draggable && map.dragging._draggable._moving;
    if (!api.ready || dragging) { return; }
    clearTimeout(viewTimer);
    restoring = true;
    if (!inUrl) {
      map.fitBounds(message.bounds, {paddingBottomRight: [0, options.legend_height], animate: false});
    } else {
      var view = new URLSearchParams(written).get(params()[0]).split(',').map(Number);
      map.setView(view, map.getZoom(), {animate: false});
    }
    written = viewString();
    restoring = false;
  }
  map.on('resize', onResize);

  // --- Basemaps: the chosen one is kept; failing tiles say so and offer "No tiles" -----------------

  function useBasemap(key) {
    if (!basemaps[key] || key === basemap && map.hasLayer(basemaps[key])) { return; }
    Object.keys(basemaps).forEach(function (other) {
      if (other !== key && map.hasLayer(basemaps[other])) { map.removeLayer(basemaps[other]); }
    });
    map.addLayer(basemaps[key]);
    basemap = key;
  }

  var notice = L.DomUtil.create('div', 'atlas-notice', map.getContainer());
  notice.setAttribute('role', 'status');
  notice.style.display = 'none';
  L.DomEvent.disableClickPropagation(notice);
  L.DomEvent.disableScrollPropagation(notice);

  /** Say on the map what went wrong (``key``: what it is about); the caller may add buttons after ``text``. */
  function showProblem(key, text) {
    notice.innerHTML = '';
    notice.dataset.key = key;
    notice.appendChild(document.createTextNode(text));
    notice.style.display = '';
  }

  function showNotice(key) {
    showProblem(key, 'The ' + options.basemap_names[key] + ' tiles cannot be loaded (no internet connection?). ');
    var button = L.DomUtil.create('button', 'atlas-no-tiles', notice);
    button.type = 'button';
    button.textContent = 'No tiles';
    button.title = 'Switch to the basemap that needs no internet';
    L.DomEvent.on(button, 'click', function () { useBasemap(options.offline_basemap); onMove(); });
    var close = L.DomUtil.create('button', 'atlas-dismiss', notice);
    close.type = 'button';
    close.textContent = '×';
    close.setAttribute('aria-label', 'Dismiss');
    L.DomEvent.on(close, 'click', function () { notice.style.display = 'none'; });
  }

  Object.keys(basemaps).forEach(function (key) {
    var layer = basemaps[key], loaded = false;
    if (key === options.offline_basemap) { return; }
    layer.on('add', function () { loaded = false; });
    layer.on('tileload', function () { loaded = true; if (notice.dataset.key === key) { notice.style.display = 'none'; } });
    layer.on('tileerror', function () {
      if (!loaded && map.hasLayer(layer) && notice.style.display === 'none') { showNotice(key); }
    });
  });
  map.on('baselayerchange', function (event) {
    Object.keys(basemaps).forEach(function (key) { if (basemaps[key] === event.layer) { basemap = key; } });
    if (notice.dataset.key !== 'payload') { notice.style.display = 'none'; }  // a tile notice is about the old basemap
    onMove();
  });

  // --- The bounds, for "only sites in view" ---------------------------------------------------------

  function reportBounds() {
    boundsTimer = null;
    if (!message || !message.report_bounds) { return; }
    var b = map.getBounds(), box = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) {
      return Math.round(v * 1e4) / 1e4;
    });
    box = [Math.max(box[0], -180), Math.max(box[1], -90), Math.min(box[2], 180), Math.min(box[3], 90)];
    if (JSON.stringify(box) === reported) { return; }
    reported = JSON.stringify(box);
    post('streamlit:setComponentValue', {value: {type: 'bounds', bounds: box}, dataType: 'json'});
  }

  function onMoveBounds() {
    if (!message || !message.report_bounds) { return; }
    clearTimeout(boundsTimer);
    boundsTimer = setTimeout(reportBounds, 400);
  }

  // --- The legend starts folded on a narrow page --------------------------------------------------

  function narrow() { return (host.innerWidth || window.innerWidth) < options.legend_fold_width; }

  function foldLegend() {
    var details = document.querySelector('.atlas-legend details');
    if (details && narrow()) { details.open = false; }
  }

  /** On a narrow page the map is at most about two thirds of the screen's height, so the detail below shows. */
  function frameHeight(height) {
    var screen = host.innerHeight || window.innerHeight;
    return narrow() ? Math.min(height, Math.max(320,
      Math.round(screen * 0.62))) : height;
  }

  var api = {
    ready: false,
    /** When (performance.now(), ms) the sites were first drawn (drawn); how long (ms) the last draw of what is
     * around the view took (around). */
    times: {},
    /** The ids of the sites the current selection shows (drawn or in a cluster). */
    shownIds: function () {
      var ids = [];
      for (var i = 0; i < payload.rows; i++) { if (shown[i]) { ids.push(payload.text('id', i)); } }
      return ids;
    },
    /** Show a selection (a map_message) as a script run would: what the benchmark times. */
    apply: function (next) { apply(next); },
  };

  regionLayer.eachLayer(function (layer) { layer.getElement && layer.getElement() && layer.getElement().setAttribute('tabindex', '-1'); });
  surveyParts.forEach(function (layer) { layer.getElement && layer.getElement() && layer.getElement().setAttribute('tabindex', '-1'); });
  if (urlView && urlView.basemap) { useBasemap(urlView.basemap); }
  map.on('moveend', function () { draw(false); });
  map.on('moveend', onMove);
  map.on('moveend', onMoveBounds);
  window.addEventListener('message', function (event) {
    if (!event.data || event.data.type !== 'streamlit:render') { return; }
    var args = event.data.args;
    post('streamlit:setFrameHeight', {height: frameHeight(args.height)});
    if (payload) { if (JSON.stringify(args.message) !== JSON.stringify(message)) { apply(args.message); } return; }
    var first = pending === null;
    pending = args.message;
    if (first) {
      request.then(function (data) {
        whenSized(function () {
          payload = data;
          apply(pending);
        });
      }, function () {});  // said on the map already
    }
  });

  /** Run ``then`` once the map's frame has its height: a fit or a focus made before it would zoom all the way in. */
  function whenSized(then) {
    if (map.getSize().y >= 100) { then(); return; }
    var done = false;
    var go = function () {
      if (done) { return; }
      done = true;
      map.off('resize', go);
      map.invalidateSize({animate: false});
      then();
    };
    map.on('resize', go);
    setTimeout(go, 1000);
  }
  // The payload was asked for from the page's head, while Leaflet loaded: the gzipped file through the
  // app's static route, else the plain one beside the page.
  var request = window.atlasPayload.then(function (data) {
    var columns = atlasReadPayload(data.buffer);
    columns.x = new Float32Array(data.x);
    columns.y = new Float32Array(data.y);
    return columns;
  });
  request.catch(function (error) {
    showProblem('payload', 'The sites could not be loaded (' + error.message + '): reload the page.');
  });
  post('streamlit:componentReady', {apiVersion: 1});
  return api;
}
