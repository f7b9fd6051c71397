/* The map's sites payload (geo/payload.py): read from its bytes, and fetched off the page's main thread.
 *
 * Inlined into the map page's head by geo/mapview.py, so the fetch starts before Leaflet loads. The
 * page's main thread is shared with the whole Streamlit app, which is busy drawing itself while the
 * map loads: a worker fetches the gzipped payload (else the plain one), unpacks it, computes each
 * site's Web Mercator x and y for the grid, and hands the bytes over without copying them.
 * atlas_map.js waits on window.atlasPayload and reads the bytes with atlasReadPayload.
 */

/** Web Mercator on the unit square: x from 0 (180° W) to 1, y from 0 (85° N) to 1 (85° S). */
function atlasWorldX(lon) { return (lon + 180) / 360; }
function atlasWorldY(lat) {
  var sin = Math.sin(Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
}

/** The payload file's columns: its number columns as typed arrays over the file's bytes (by name), its
 * texts decoded only when asked for: text(column, row), and find(column, text), the first row with it or -1. */
function atlasReadPayload(buffer) {
  var arrays = {'<f4': Float32Array, '|i1': Int8Array, '<u2': Uint16Array};  // as geo/payload.py writes them
  var length = new DataView(buffer).getUint32(0, true), utf8 = new TextDecoder();
  var head = JSON.parse(utf8.decode(new Uint8Array(buffer, 4, length)));
  var base = Math.ceil((4 + length) / 8) * 8, rows = head.rows, texts = {}, data = {rows: rows, codes: head.codes};
  Object.keys(head.columns).forEach(function (name) {
    var column = head.columns[name], at = base + column.offset;
    if (column.type === 'text') {
      var ends = new Uint32Array(buffer, base + column.ends, rows), bytes = new Uint8Array(buffer, at, rows ? ends[rows - 1] : 0);
      texts[name] = {
        get: function (i) { return utf8.decode(bytes.subarray(i ? ends[i - 1] : 0, ends[i])); },
        find: function (value) { return atlasFindBytes(bytes, ends, new TextEncoder().encode(value)); },
      };
      return;
    }
    if (!arrays[column.type]) { throw new Error('payload column ' + name + ': unknown type ' + column.type); }
    var values = new arrays[column.type](buffer, at, rows);
    if (!column.dictionary) { data[name] = values; return; }
    texts[name] = {
      get: function (i) { return column.dictionary[values[i]]; },
      find: function (value) { return values.indexOf(column.dictionary.indexOf(value)); },
    };
  });
  data.text = function (name, i) { return texts[name].get(i); };
  data.find = function (name, value) { return texts[name].find(value); };
  return data;
}

/** The first row whose UTF-8 bytes (``bytes`` between ``ends``) are ``wanted``, or -1. */
function atlasFindBytes(bytes, ends, wanted) {
  for (var i = 0, start = 0; i < ends.length; start = ends[i], i++) {
    if (ends[i] - start !== wanted.length) { continue; }
    var j = 0;
    while (j < wanted.length && bytes[start + j] === wanted[j]) { j++; }
    if (j === wanted.length) { return i; }
  }
  return -1;
}

/** Fetch the payload (the gzipped file, else the plain one) and compute each site's x and y: a promise of
 * {buffer, x, y} (ArrayBuffers). The worker runs it; so does the page itself when it cannot make a worker. */
function atlasLoadPayload(gzippedUrl, plainUrl) {
  'use strict';
  function bytes(url, gzipped) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error(url + ': HTTP ' + response.status); }
      return (gzipped ? new Response(response.body.pipeThrough(new DecompressionStream('gzip'))) : response).arrayBuffer();
    });
  }
  var first = !gzippedUrl ? bytes(plainUrl, false) : bytes(gzippedUrl, true).catch(function (zipped) {
    return bytes(plainUrl, false).catch(function (plain) { throw new Error(zipped.message + '; ' + plain.message); });
  });
  return first.then(function (buffer) {
    var columns = atlasReadPayload(buffer), x = new Float32Array(columns.rows), y = new Float32Array(columns.rows);
    for (var i = 0; i < columns.rows; i++) {
      x[i] = atlasWorldX(columns.lon[i]);
      y[i] = atlasWorldY(columns.lat[i]);
    }
    return {buffer: buffer, x: x.buffer, y: y.buffer};
  });
}

/** In the worker: load the payload it is told, [gzipped URL, plain URL]; post it without copying, or {error}. */
function atlasPayloadWorker() {
  self.onmessage = function (event) {
    atlasLoadPayload(event.data[0], event.data[1]).then(function (data) {
      self.postMessage(data, [data.buffer, data.x, data.y]);
    }, function (error) { self.postMessage({error: String(error.message || error)}); });
  };
}

/** Load the payload in a worker: a promise of {buffer, x, y}. Where no worker can be made (a policy that
 * forbids blob: workers), the page loads it itself. */
function atlasFetchPayload(gzippedUrl, plainUrl) {
  // A worker made from a blob has a blob: address: it gets absolute URLs.
  var absolute = function (url) { return url ? new URL(url, document.baseURI).href : ''; };
  var source = [atlasWorldX, atlasWorldY, atlasReadPayload, atlasFindBytes, atlasLoadPayload, atlasPayloadWorker];
  var worker;
  try {
    worker = new Worker(URL.createObjectURL(new Blob([source.join('\n') + '\natlasPayloadWorker();'],
      {type: 'text/javascript'})));
  } catch (error) {
    return atlasLoadPayload(absolute(gzippedUrl), absolute(plainUrl));
  }
  return new Promise(function (resolve, reject) {
    worker.onmessage = function (event) {
      worker.terminate();
      if (event.data.error) { reject(new Error(event.data.error)); } else { resolve(event.data); }
    };
    worker.onerror = function (event) {
      worker.terminate();
      event.preventDefault();
      atlasLoadPayload(absolute(gzippedUrl), absolute(plainUrl)).then(resolve, reject);
    };
    worker.postMessage([absolute(gzippedUrl), absolute(plainUrl)]);
  });
}
