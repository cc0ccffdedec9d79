"""The recommender: video features in, a music target out (multi-task MLP, Optuna search, default model)."""
