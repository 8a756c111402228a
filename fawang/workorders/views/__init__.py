"""Work-order pages: ``staff`` (the console's queues and order page) and ``citizen`` (诉求)."""
