"""The DCAT-AP-SE catalogue: every public list a dataset, each distribution a URL, a media type and a licence."""

from __future__ import annotations

from finsam_core.documents.open_data import DATASETS, dcat_catalog


def test_the_catalogue_lists_every_dataset_with_its_distributions() -> None:
    catalog = dcat_catalog("https://finsam.example/")
    assert catalog["@type"] == "dcat:Catalog"
    datasets = catalog["dcat:dataset"]
    assert [d["dct:identifier"] for d in datasets] == [d.id for d in DATASETS]
    fees = next(d for d in datasets if d["dct:identifier"] == "serviceavgifter")
    urls = {dist["dct:format"]: dist["dcat:accessURL"]["@id"] for dist in fees["dcat:distribution"]}
    assert urls["XLSX"] == "https://finsam.example/v1/network/exports/fees?year={year}&format=xlsx"
    for dataset in datasets:
        assert dataset["dct:title"]["@language"] == "sv"
        for dist in dataset["dcat:distribution"]:
            assert dist["dcat:mediaType"] and dist["dct:license"]["@id"].startswith("http://creativecommons.org/")
