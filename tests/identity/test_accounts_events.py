"""identity tells the other services who its users are: user.registered and user.updated."""

from io import StringIO

from django.core.management import call_command

from apps.accounts.models import User
from apps.accounts.services import user_update
from common.testing.events import published_data

REGISTER_URL = "/identity/api/v1/auth/register/"


def test_registering_publishes_user_registered_with_the_directory_fields(api_client, db):
    response = api_client.post(
        REGISTER_URL,
        {"email": "Lea@Mercato.Test", "password": "a-long-passphrase-7", "full_name": "Lea L"},
    )

    assert response.status_code == 201
    assert published_data("user.registered") == [
        {"user_id": response.json()["id"], "email": "lea@mercato.test", "full_name": "Lea L"}
    ]


def test_a_refused_registration_publishes_nothing(api_client, db):
    response = api_client.post(REGISTER_URL, {"email": "weak@mercato.test", "password": "1234"})

    assert response.status_code == 400
    assert published_data("user.registered") == []


def test_a_new_name_publishes_user_updated_and_an_unchanged_one_does_not(db, demo_users):
    user = User.objects.get(email="customer@mercato.local")

    user_update(user=user, full_name=user.full_name)
    user_update(user=user, full_name="Cleo Renamed")

    assert published_data("user.updated") == [
        {"user_id": str(user.id), "email": user.email, "full_name": "Cleo Renamed"}
    ]


def test_demo_data_announces_each_demo_user_once_however_often_it_runs(db, demo_users):
    call_command("load_demo_data", stdout=StringIO())

    announced = published_data("user.registered")
    assert sorted(data["email"] for data in announced) == sorted(
        User.objects.values_list("email", flat=True)
    )
