"""Tests of the deployment files (deploy/container, deploy/compose.yaml): what CI can hold them to without a
container engine."""
