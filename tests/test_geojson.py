import json

import shapely

from geo.geojson import dumps, feature, feature_collection, validate

CW_SQUARE = shapely.Polygon([(70, 48), (70, 49), (71, 49), (71, 48), (70, 48)])


def roundtrip(collection):
    return json.loads(dumps(collection))


def test_written_polygons_are_counter_clockwise_and_rounded():
    fc = roundtrip(
        feature_collection([feature(CW_SQUARE, {"name": "a"}), feature(shapely.Point(70.1234567891, 48.1), {})])
    )
    assert validate(fc) == []
    assert fc["features"][1]["geometry"]["coordinates"] == [70.123457, 48.1]
    assert "crs" not in fc


def with_geometry(geometry):
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": geometry}]}


def test_validate_finds_each_rfc7946_problem():
    good = roundtrip(feature_collection([feature(CW_SQUARE, {})]))
    ring = good["features"][0]["geometry"]["coordinates"][0]
    cases = {
        "crs": {**good, "crs": {"type": "name"}},
        "counter-clockwise": with_geometry({"type": "Polygon", "coordinates": [ring[::-1]]}),
        "decimals": with_geometry({"type": "Point", "coordinates": [70.1234567, 48]}),
        "outside WGS84": with_geometry({"type": "Point", "coordinates": [200, 48]}),
        "not a FeatureCollection": {"type": "Feature"},
    }
    for expected, collection in cases.items():
        problems = validate(collection, "layer")
        assert problems and expected in problems[0], (expected, problems)


def test_dumps_is_deterministic_and_one_feature_a_line():
    fc = feature_collection([feature(shapely.Point(70, 48), {"name": "Қарағанды"}) for _ in range(3)])
    text = dumps(fc)
    assert text == dumps(fc)
    lines = text.decode("utf-8").splitlines()
    assert len(lines) == 5
    assert [json.loads(line.rstrip(","))["type"] for line in lines[1:4]] == ["Feature"] * 3
    assert "Қарағанды" in text.decode("utf-8")


def test_a_feature_with_no_location_has_a_null_geometry():
    fc = roundtrip(feature_collection([feature(None, {"name": "Karatas"})]))
    assert fc["features"][0]["geometry"] is None
    assert validate(fc) == []
    assert (
        "no geometry member"
        in validate({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}}]})[0]
    )
