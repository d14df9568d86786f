"""Create the PostgreSQL database named by a URL if it does not exist (for `make bench`)."""
import sys

import sqlalchemy as sa


def main(url: str) -> None:
    target = sa.engine.make_url(url)
    server = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                    {"name": target.database}).scalar()
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
            print(f"created database {target.database}")


if __name__ == "__main__":
    main(sys.argv[1])
