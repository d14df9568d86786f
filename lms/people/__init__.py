"""People: accounts, invitations and student profiles, managed by heads and admins."""
