"""Open data: a dataset description in DCAT-AP-SE (JSON-LD) that a Swedish open-data portal can harvest.

The network's public lists — the decision registers, the NNS fee lists, the roster, the participant
figures — are datasets of one catalogue; each has a JSON distribution (the API's, its schema in the
OpenAPI document it conforms to) and, where there is an export, CSV and XLSX. The description is data
about the service's URLs, computed from nothing the views hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

__all__ = ["DATASETS", "Dataset", "dcat_catalog"]

_CONTEXT: Final = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}
_CC0: Final = "http://creativecommons.org/publicdomain/zero/1.0/"
_PUBLIC: Final = "http://publications.europa.eu/resource/authority/access-right/PUBLIC"
_GOVERNMENT: Final = "http://publications.europa.eu/resource/authority/data-theme/GOVE"
_SWEDISH: Final = "http://publications.europa.eu/resource/authority/language/SWE"
_MEDIA: Final = {
    "JSON": "application/json",
    "CSV": "text/csv",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Dataset:
    """One public list: its id, Swedish title and description, and its distributions (format -> path)."""

    id: str
    title: str
    description: str
    distributions: tuple[tuple[str, str], ...]


DATASETS: Final = (
    Dataset(
        "beslut",
        "Samordningsförbundens beslut",
        "Beslut ur justerade protokoll: sammanträde, paragraf, rubrik, beslutssatser, omröstningens utfall "
        "och reservationer.",
        (("JSON", "/v1/network/decisions"),),
    ),
    Dataset(
        "serviceavgifter",
        "NNS serviceavgifter per år",
        "Varje medlemsförbunds tilldelning och serviceavgift till Nationella nätverket för samordningsförbund.",
        (
            ("JSON", "/v1/network/fees/{year}"),
            ("CSV", "/v1/network/exports/fees?year={year}&format=csv"),
            ("XLSX", "/v1/network/exports/fees?year={year}&format=xlsx"),
        ),
    ),
    Dataset(
        "medlemsforteckning",
        "NNS medlemsförteckning",
        "Samordningsförbunden som NNS känner och deras medlemskap en given dag.",
        (
            ("JSON", "/v1/network/roster?as_of={date}"),
            ("CSV", "/v1/network/exports/roster?as_of={date}&format=csv"),
            ("XLSX", "/v1/network/exports/roster?as_of={date}&format=xlsx"),
        ),
    ),
    Dataset(
        "deltagare",
        "Deltagare i samordningsförbundens insatser",
        "Antal deltagare, avslutade, nya och fördelning per förbund och år (endast antal, aldrig personer).",
        (
            ("JSON", "/v1/network/participants/{year}"),
            ("CSV", "/v1/network/exports/participants?year={year}&format=csv"),
            ("XLSX", "/v1/network/exports/participants?year={year}&format=xlsx"),
        ),
    ),
)


def dcat_catalog(base_url: str, publisher: str = "Nationella nätverket för samordningsförbund") -> dict[str, Any]:
    """The catalogue of :data:`DATASETS` as DCAT-AP-SE JSON-LD, its URLs under ``base_url``."""
    base = base_url.rstrip("/")
    agent = {"@type": "foaf:Agent", "foaf:name": publisher}
    contact = {"@type": "vcard:Organization", "vcard:fn": publisher, "vcard:hasURL": {"@id": base}}

    def dataset(d: Dataset) -> dict[str, Any]:
        return {
            "@id": f"{base}/v1/network/datasets#{d.id}",
            "@type": "dcat:Dataset",
            "dct:identifier": d.id,
            "dct:title": {"@language": "sv", "@value": d.title},
            "dct:description": {"@language": "sv", "@value": d.description},
            "dct:publisher": agent,
            "dcat:contactPoint": contact,
            "dcat:theme": {"@id": _GOVERNMENT},
            "dct:language": {"@id": _SWEDISH},
            "dct:accessRights": {"@id": _PUBLIC},
            "dcat:distribution": [
                {
                    "@type": "dcat:Distribution",
                    "dct:title": {"@language": "sv", "@value": f"{d.title} ({fmt})"},
                    "dcat:accessURL": {"@id": f"{base}{path}"},
                    "dcat:mediaType": _MEDIA[fmt],
                    "dct:format": fmt,
                    "dct:license": {"@id": _CC0},
                    "dct:conformsTo": {"@id": f"{base}/docs/openapi.json"},
                }
                for fmt, path in d.distributions
            ],
        }

    return {
        "@context": _CONTEXT,
        "@id": f"{base}/v1/network/datasets",
        "@type": "dcat:Catalog",
        "dct:title": {"@language": "sv", "@value": "Samordningsförbundens öppna data (finsam)"},
        "dct:description": {
            "@language": "sv",
            "@value": "Beslut, serviceavgifter, medlemsförteckning och deltagarsiffror från samordningsförbunden.",
        },
        "dct:publisher": agent,
        "dct:license": {"@id": _CC0},
        "dct:language": {"@id": _SWEDISH},
        "dcat:dataset": [dataset(d) for d in DATASETS],
    }
