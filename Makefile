# Shortcuts for the operator's manual (docs/operations.md). Each target wraps one script or npm command,
# so what it does is readable there; settings pass through the environment, e.g.
#   IMAGE_REGISTRY=ghcr.io/acme/billing IMAGE_TAG=1f2e3d4 make deploy

KIND_CLUSTER ?= billing

.DEFAULT_GOAL := help
.PHONY: help install test build synth helm images load deploy test-cluster kind-up kind-down lint-scripts clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: ## Install everything (npm ci)
	npm ci

test: ## Type-check, lint and run every test
	npm test

build: ## Compile the services to apps/*/build
	npm run build

synth: ## Write the Kubernetes manifests to dist/
	npm run synth

helm: ## Write the same manifests as a Helm chart to dist-helm/dev
	npm run synth:helm

images: ## Build the service images, tagged as the manifests name them (with buildx or a classic CLI)
	deploy/image/build.sh

load: ## Push the images where the cluster pulls from (kind or minikube registry, or yours)
	deploy/deploy.sh load

deploy: ## Build and push the images, apply dist/, wait for every rollout
	deploy/deploy.sh

test-cluster: ## The reviewers' procedure against the deployed cluster
	deploy/test.sh

kind-up: ## Create a local kind cluster and its image registry on localhost:5001
	KIND_CLUSTER='$(KIND_CLUSTER)' deploy/kind-up.sh

kind-down: ## Delete the local kind cluster and its registry
	kind delete cluster --name '$(KIND_CLUSTER)'
	docker rm --force kind-registry

lint-scripts: ## shellcheck the cluster scripts
	shellcheck deploy/*.sh

clean: ## Remove build output (not dist/, which is committed)
	rm -rf apps/*/build packages/*/build dist-helm .tmp/deploy
