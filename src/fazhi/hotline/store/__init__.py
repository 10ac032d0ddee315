"""The hotline's own tables (beside the engine's case tables); their migrations live with
the platform's (`fazhi/store/migrations`)."""
