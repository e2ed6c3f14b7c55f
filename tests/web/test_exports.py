"""Downloads that are files, not text: Parquet of every list, GraphML of the network."""

from __future__ import annotations

import csv
import io

import networkx as nx
import pyarrow.parquet as pq
import pytest
from django.test import Client

from liaison.domain.enums import UserRole
from liaison.ledger import actions
from liaison.ledger.export import EXCHANGE_COLUMNS
from liaison.web import parquet
from liaison.web.parquet import parquet_bytes
from tests.factories import make_exchange, make_user
from tests.web.conftest import SECRET, Ledger, body

pytestmark = pytest.mark.django_db

LISTS = ["/exchanges/", "/actors/", "/mechanisms/", "/countries/", "/sources/"]


def parquet_rows(client: Client, url: str) -> list[dict[str, object]]:
    """Download a list as Parquet and read it back with pyarrow."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.apache.parquet"
    assert response["Content-Disposition"].endswith('.parquet"')
    data = b"".join(bytes(chunk) for chunk in response.streaming_content)
    rows: list[dict[str, object]] = pq.read_table(io.BytesIO(data)).to_pylist()
    return rows


@pytest.mark.parametrize("url", LISTS)
def test_every_list_downloads_the_same_rows_as_parquet_as_csv(
    logged_in: Client, ledger: Ledger, url: str
) -> None:
    as_csv = list(csv.DictReader(io.StringIO(body(logged_in.get(f"{url}?format=csv")))))
    as_parquet = parquet_rows(logged_in, f"{url}?format=parquet")
    assert len(as_parquet) == len(as_csv) > 0
    assert list(as_parquet[0]) == list(as_csv[0])  # the same columns in the same order
    assert sorted(str(row["id"] if "id" in row else row["iso3"]) for row in as_parquet) == sorted(
        row["id"] if "id" in row else row["iso3"] for row in as_csv
    )


@pytest.mark.parametrize("url", LISTS)
def test_every_list_page_offers_the_parquet_download(
    logged_in: Client, ledger: Ledger, url: str
) -> None:
    assert '<a href="?format=parquet">Parquet</a>' in body(logged_in.get(url))


def test_the_parquet_file_honours_search_and_facets(logged_in: Client, ledger: Ledger) -> None:
    rows = parquet_rows(logged_in, "/exchanges/?type=call&format=parquet")
    assert [row["id"] for row in rows] == [ledger.call.pk]
    assert list(rows[0]) == list(EXCHANGE_COLUMNS)
    rows = parquet_rows(logged_in, "/actors/?q=CPV&format=parquet")
    assert [row["name"] for row in rows] == ["Communist Party of Vietnam"]


def test_the_parquet_file_keeps_internal_records_from_other_units(
    client: Client, logged_in: Client, ledger: Ledger
) -> None:
    summaries = {row["summary"] for row in parquet_rows(logged_in, "/exchanges/?format=parquet")}
    assert SECRET not in summaries
    urls = {row["url"] for row in parquet_rows(logged_in, "/sources/?format=parquet")}
    assert "https://example.org/internal-note" not in urls
    client.force_login(make_user("asia_viewer", UserRole.VIEWER, ledger.asia))
    summaries = {row["summary"] for row in parquet_rows(client, "/exchanges/?format=parquet")}
    assert SECRET in summaries


def test_parquet_keeps_types_and_writes_lists_as_json() -> None:
    data = parquet_bytes(
        ["n", "name", "tags", "empty"],
        [{"n": 1, "name": "a", "tags": ["x", "y"]}, {"n": 2, "name": "b", "tags": []}],
    )
    table = pq.read_table(io.BytesIO(data))
    assert str(table.schema.field("n").type) == "int64"
    assert table.to_pylist() == [
        {"n": 1, "name": "a", "tags": '["x", "y"]', "empty": None},
        {"n": 2, "name": "b", "tags": "[]", "empty": None},
    ]


def test_parquet_is_written_in_batches_with_one_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet, "BATCH", 2)
    rows = [{"n": n, "note": None if n < 2 else f"note {n}"} for n in range(5)]
    table = pq.read_table(io.BytesIO(parquet_bytes(["n", "note"], rows)))
    assert table.num_rows == 5
    assert str(table.schema.field("note").type) == "string"  # empty in the first batch
    assert table.column("note").to_pylist() == [None, None, "note 2", "note 3", "note 4"]


def test_an_empty_list_is_still_a_parquet_file_with_its_columns(
    logged_in: Client, ledger: Ledger
) -> None:
    assert parquet_rows(logged_in, "/exchanges/?q=nothing+like+this&format=parquet") == []
    table = pq.read_table(io.BytesIO(parquet_bytes(["a", "b"], [])))
    assert (table.num_rows, table.column_names) == (0, ["a", "b"])


def read_graphml(client: Client, query: str = "") -> nx.Graph:
    """Download the network as GraphML and read it back with networkx."""
    response = client.get(f"/network/?{query}format=graphml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/graphml+xml"
    assert response["Content-Disposition"] == 'attachment; filename="network.graphml"'
    graph: nx.Graph = nx.read_graphml(io.BytesIO(response.content), node_type=int)
    return graph


def test_the_network_downloads_as_graphml_with_weights_and_names(
    logged_in: Client, ledger: Ledger
) -> None:
    make_exchange(ledger.anc, ledger.cpv, when="2019-09-02")
    graph = read_graphml(logged_in)
    assert set(graph.nodes) == {ledger.anc.pk, ledger.cpv.pk, ledger.swapo.pk}
    assert graph.edges[ledger.anc.pk, ledger.cpv.pk]["weight"] == 2
    assert graph.edges[ledger.cpv.pk, ledger.swapo.pk]["weight"] == 1
    anc = graph.nodes[ledger.anc.pk]
    assert (anc["label"], anc["iso3"], anc["region"]) == (
        "African National Congress",
        "ZAF",
        "Africa",
    )
    assert graph.nodes[ledger.cpv.pk]["exchanges"] == 3


def test_the_graphml_honours_filters_and_visibility(
    client: Client, logged_in: Client, ledger: Ledger
) -> None:
    assert ledger.lprp.pk not in read_graphml(logged_in)
    assert set(read_graphml(logged_in, "type=call&").nodes) == {ledger.cpv.pk, ledger.swapo.pk}
    client.force_login(make_user("central_viewer", UserRole.VIEWER, ledger.central))
    assert ledger.lprp.pk in read_graphml(client)
    assert set(read_graphml(client, "start=2022&end=2022&").nodes) == {
        ledger.cpv.pk,
        ledger.lprp.pk,
    }


def test_an_empty_network_is_still_a_graphml_file(logged_in: Client, ledger: Ledger) -> None:
    graph = read_graphml(logged_in, "region=Europe&")
    assert graph.number_of_nodes() == 0


def test_a_download_names_every_person_of_a_crowded_exchange(
    logged_in: Client, ledger: Ledger
) -> None:
    # More people than SQLite takes OR terms in one query (1,000): they must come joined.
    crowd = tuple(actions.PersonInput(f"Delegate {n:04d}", "delegate") for n in range(1100))
    crowded = make_exchange(ledger.anc, ledger.swapo, when="2021-02-03", people=crowd)
    rows = parquet_rows(logged_in, "/exchanges/?year=2021&format=parquet")
    assert [row["id"] for row in rows] == [crowded.pk]
    assert str(rows[0]["people"]).count("Delegate ") == 1100
