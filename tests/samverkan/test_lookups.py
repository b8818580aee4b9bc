from django.db.models import F

from samverkan.lookups import AnyOf
from samverkan.models import County


def test_any_of_finds_the_rows_whose_column_is_in_the_list_with_one_array_parameter(db):
    ids = list(County.objects.order_by("pk").values_list("pk", flat=True)[:3])
    found = County.objects.filter(AnyOf(F("pk"), ids))
    sql, params = found.query.sql_with_params()
    assert "= ANY(%s::bigint[])" in sql and params == (ids,)
    assert sorted(found.values_list("pk", flat=True)) == ids
    assert not County.objects.filter(AnyOf(F("pk"), [])).exists()
