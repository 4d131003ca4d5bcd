"""Reference data: regions, industries, service and target types, sending units.

Bundled in resources/reference and loaded at first start; the bureau replaces a kind as a whole
through sync (`replace_reference`). Records keep the names they were saved with.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from commissioner_app.paths import resources_dir

if TYPE_CHECKING:
    from commissioner_app.store import Store

KINDS = ("county", "town", "industry_category", "industry", "service_type", "target_type", "sending_unit")


@dataclass(frozen=True)
class RefItem:
    kind: str
    code: str
    name_zh: str
    name_en: str = ""
    parent_code: str = ""
    sort_order: int = 0

    def name(self, lang: str = "zh_CN") -> str:
        return self.name_en if lang == "en" and self.name_en else self.name_zh


def bundled_reference() -> list[RefItem]:
    folder = resources_dir() / "reference"

    def read(name: str) -> Any:
        return json.loads((folder / name).read_text(encoding="utf-8"))

    items: list[RefItem] = []
    for i, county in enumerate(read("regions.json")["counties"]):
        items.append(RefItem("county", county["code"], county["name_zh"], county.get("name_en", ""), "", i))
        for j, town in enumerate(county["towns"]):
            items.append(
                RefItem("town", town["code"], town["name_zh"], town.get("name_en", ""), county["code"], j)
            )
    order = 0
    for category in read("industries.json")["categories"]:
        items.append(
            RefItem(
                "industry_category", category["code"], category["name_zh"], category["name_en"], "", order
            )
        )
        for item in category["items"]:
            order += 1
            items.append(
                RefItem("industry", item["code"], item["name_zh"], item["name_en"], category["code"], order)
            )
    for kind, name in (
        ("service_type", "service_types.json"),
        ("target_type", "target_types.json"),
        ("sending_unit", "sending_units.json"),
    ):
        for i, item in enumerate(read(name)["items"]):
            items.append(RefItem(kind, item["code"], item["name_zh"], item.get("name_en", ""), "", i))
    return items


def load_bundled_reference(store: Store) -> None:
    items = bundled_reference()
    for kind in KINDS:
        replace_reference(store, kind, [i for i in items if i.kind == kind], source="bundled")


def replace_reference(
    store: Store, kind: str, items: list[RefItem], *, source: str, version: str = ""
) -> None:
    """Replace one kind of reference data as a whole, in one transaction."""
    with store.atomic():
        store.db.execute("DELETE FROM reference_items WHERE kind = ?", [kind])
        store.db.conn.executemany(
            "INSERT INTO reference_items (kind, code, name_zh, name_en, parent_code, sort_order) VALUES "
            "(?,?,?,?,?,?)",
            [(kind, i.code, i.name_zh, i.name_en, i.parent_code, i.sort_order) for i in items],
        )
        store.set_meta(f"reference_source:{kind}", source)
        store.set_meta(f"reference_version:{kind}", version)


def reference(store: Store, kind: str, parent_code: str | None = None) -> list[RefItem]:
    sql = "SELECT kind, code, name_zh, name_en, parent_code, sort_order FROM reference_items WHERE kind = ?"
    params: list[Any] = [kind]
    if parent_code is not None:
        sql += " AND parent_code = ?"
        params.append(parent_code)
    return [RefItem(*row) for row in store.db.execute(sql + " ORDER BY sort_order, code", params).fetchall()]


def english_names(store: Store) -> dict[str, dict[str, str]]:
    """kind → {Chinese name: English name} for the items that have an English name. Records keep
    the Chinese name; an English screen shows it through this table."""
    names: dict[str, dict[str, str]] = {}
    for kind, name_zh, name_en in store.db.execute(
        "SELECT kind, name_zh, name_en FROM reference_items WHERE name_en IS NOT NULL AND name_en != ''"
    ).fetchall():
        names.setdefault(kind, {})[name_zh] = name_en
    return names


def shown_name(names: dict[str, dict[str, str]], kind: str, name_zh: str, lang: str) -> str:
    """A stored (Chinese) reference name as the user reads it: English where there is one."""
    if lang != "en" or not name_zh:
        return name_zh
    return names.get(kind, {}).get(name_zh, name_zh)


def towns_of(store: Store, county_name: str) -> list[RefItem]:
    """Towns of a county given by its Chinese name (records keep names, not codes)."""
    row = store.db.execute(
        "SELECT code FROM reference_items WHERE kind = 'county' AND name_zh = ?", [county_name]
    ).fetchone()
    return reference(store, "town", row[0]) if row else []
