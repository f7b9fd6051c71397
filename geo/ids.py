"""Site ids made from names: Latin slugs in any script, unique within a layer.

A site named only in Cyrillic ("Куйректыколь") must not get the id ``""``, and two sites with
one name must not share an id: choosing one in the app would open the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
from unidecode import unidecode

__all__ = ["FALLBACK_ID", "ids_in", "slug", "unique_ids"]

#: The id of a site whose name has no letter or digit in any script.
FALLBACK_ID = "site"


def slug(name: str) -> str:
    """A lower-case Latin slug of a name, transliterated from any script (apostrophes dropped, not word breaks).

    >>> slug("Куйректыколь"), slug("Қарағанды"), slug("Upper Kairakty (W)"), slug("★")
    ('kuirektykol', 'karagandy', 'upper-kairakty-w', 'site')
    """
    return "-".join(re.findall(r"[a-z0-9]+", re.sub(r"['’]", "", unidecode(name).lower()))) or FALLBACK_ID


def unique_ids(bases: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Each base id, with ``-2``, ``-3``… added where it is already taken (by ``taken`` or an earlier base).

    >>> unique_ids(["kuirektykol", "karatas", "kuirektykol"], taken=["karatas"])
    ['kuirektykol', 'karatas-2', 'kuirektykol-2']
    """
    used = set(taken)
    out = []
    for base in bases:
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base}-{number}"
        used.add(candidate)
        out.append(candidate)
    return out


def ids_in(ids: pd.Series | pd.Index, among: Iterable[str]) -> np.ndarray:
    """Whether each of ``ids`` is one of ``among``, as a boolean array.

    ``Series.isin`` of pandas' Arrow strings turns every value of ``among`` into a Python object
    one by one (0.4 s for 100,000 ids); a set of the values as a list is about 20 times faster.

    >>> ids_in(pd.Series(["a", "b", None]), ["b", "c"]).tolist()
    [False, True, False]
    """
    wanted = set(among.tolist() if isinstance(among, pd.Series | pd.Index) else among)
    return np.fromiter((value in wanted for value in ids.tolist()), dtype=bool, count=len(ids))
