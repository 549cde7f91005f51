"""What the services tell the people who run them: whether they are ready to work
(``readiness``) and what they did and hold (``metrics``, in Prometheus's format)."""
