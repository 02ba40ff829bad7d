-- The role the service's connections run as, and whether it is a superuser.
SELECT current_user AS name, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user
