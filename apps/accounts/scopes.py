"""The permission strings identity checks; identity's default roles grant them."""

from common.auth.scopes import admin_access_scope

IDENTITY_ADMIN_ACCESS = admin_access_scope("identity")
USER_READ = "identity.user.read"
USER_WRITE = "identity.user.write"
ROLE_READ = "identity.role.read"
ROLE_WRITE = "identity.role.write"
SERVICE_ACCOUNT_WRITE = "identity.service_account.write"
SIGNING_KEY_ROTATE = "identity.signing_key.rotate"
