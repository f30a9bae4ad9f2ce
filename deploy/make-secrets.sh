#!/usr/bin/env bash
# Create the secrets deploy/compose.yaml mounts, as files under deploy/secrets/ (git-ignored): random values,
# never printed, and never overwritten — a file already there is kept, so running this again only fills gaps
# (and the values already in PostgreSQL, SeaweedFS and Elasticsearch keep matching their files).
#
#   bash deploy/make-secrets.sh            # the folder's group: your own (id -g)
#   ARCHIVE_SECRETS_GID=1234 bash deploy/make-secrets.sh
#
# Permissions: the folder is 0700 (no other account on the host reaches the files). Compose mounts a file secret
# as it is on the host (its owner and mode; the uid/gid/mode of a service's `secrets:` entry are ignored outside
# Swarm), and the containers run as users of their own (archive-service 10001, Elasticsearch 1000), so each file
# is 0640 with group ARCHIVE_SECRETS_GID, which deploy/.env names and compose adds to those containers
# (group_add). Nothing else in the containers is in that group.
set -euo pipefail
cd "$(dirname "$0")"

dir=secrets
gid=${ARCHIVE_SECRETS_GID:-$(id -g)}
umask 077
mkdir -p "$dir"
chmod 0700 "$dir"

random_hex() { # 32 random bytes as 64 hex digits: safe in a URL, a JSON string and a shell word
  od -An -tx1 -N32 /dev/urandom | tr -d ' \n'
}

# write NAME VALUE: the file deploy/secrets/NAME, unless it exists; atomically, mode 0640, group $gid.
write() {
  local path=$dir/$1 tmp
  if [[ -e $path ]]; then
    echo "make-secrets: $path — đã có, giữ nguyên / exists, kept"
    return 0
  fi
  tmp=$(mktemp "$dir/.$1.XXXXXX")
  printf '%s' "$2" >"$tmp"
  chgrp "$gid" "$tmp"
  chmod 0640 "$tmp"
  mv -n "$tmp" "$path"
  rm -f "$tmp"
  echo "make-secrets: $path — đã tạo / created"
}

read_secret() { cat "$dir/$1"; }

write postgres_password "$(random_hex)"
# The catalog's URL holds the PostgreSQL password: made from the file above (user and database "archive", as
# POSTGRES_USER and POSTGRES_DB in compose.yaml).
write database_url "postgresql+psycopg://archive:$(read_secret postgres_password)@postgres:5432/archive"
write s3_access_key "archive-$(random_hex | cut -c1-16)"
write s3_secret_key "$(random_hex)"
# SeaweedFS's identities (its -s3.config): the one key pair above, allowed everything the service does;
# no "anonymous" identity, so an unsigned request is refused.
write seaweedfs_s3_config "$(printf '{"identities": [{"name": "archive-service", "credentials": [{"accessKey": "%s", "secretKey": "%s"}], "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}' \
  "$(read_secret s3_access_key)" "$(read_secret s3_secret_key)")"
write es_password "$(random_hex)"
write metrics_token "$(random_hex)"

# A file kept from an earlier run while another was made anew would disagree: say so rather than start a
# stack that cannot log in.
if ! grep -qF ":$(read_secret postgres_password)@" "$dir/database_url"; then
  echo "make-secrets: database_url không chứa mật khẩu trong postgres_password / does not hold postgres_password's value" >&2
  exit 1
fi
if ! grep -qF "\"$(read_secret s3_secret_key)\"" "$dir/seaweedfs_s3_config" \
  || ! grep -qF "\"$(read_secret s3_access_key)\"" "$dir/seaweedfs_s3_config"; then
  echo "make-secrets: seaweedfs_s3_config không khớp s3_access_key/s3_secret_key / does not match them" >&2
  exit 1
fi
echo "make-secrets: xong / done. Trong deploy/.env / in deploy/.env: ARCHIVE_SECRETS_GID=$gid"
