"""Two-way contact sync with the user's own CardDAV server, and the accounts it uses (issue 16).

- `accounts`: adding, listing and removing accounts; where the password is kept; the HTTP rule.
- `dav`: the connection (caldav's DAVClient does HTTP, auth and TLS) and the few WebDAV/CardDAV
  requests sync needs: discovery (RFC 6764), sync-collection (RFC 6578), multiget, PUT/DELETE with
  If-Match.
- `cards`: which card fields travel, read from a vCard and from a person, and merged field by field.
- `contacts`: one sync of one account's address books.
- `run`: `sync_accounts`, what `netjournal sync` and the background sync call.

Nothing here imports Qt; nothing here connects anywhere unless an account exists.
"""
