"""What every domain uses: database base and mixins, permissions, sanitizing, errors, templating."""
