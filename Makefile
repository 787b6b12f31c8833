# gomod.proxy: every entry point an operator or CI needs. `make help` lists them.
# Heavy caches live in $(CACHE) (default ~/.cache/gomod-proxy); nothing requires them to exist.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

export GOMOD_PROXY_CACHE ?= $(HOME)/.cache/gomod-proxy
# The venv's path (keyed by requirements.txt) comes from tools/lib.sh, the one place that computes it.
VENV := $(shell GOMOD_PROXY_CACHE='$(GOMOD_PROXY_CACHE)' && . '$(CURDIR)/tools/lib.sh' && venv_dir)
export PATH := $(VENV)/bin:/usr/local/go/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/.cache/collections
INVENTORY ?= inventories/lab

.PHONY: help setup site lab lab-down test unit differential integration sanity lint molecule \
        bench-go-env bench-audit clean ha bench-ha

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: ## install host packages, the pinned venv and the collection path (idempotent)
	tools/setup-host.sh
	tools/setup-venv.sh

site: setup lab ## bring up the lab and run site.yml on it to the end (the main job)
	ansible-playbook site.yml -i $(INVENTORY)

lab: setup ## start the lab hosts of $(INVENTORY) (builds the cached image if its recipe changed)
	tools/lab.sh up --inventory $(INVENTORY)

lab-down: ## remove the lab containers and network of $(INVENTORY) (keeps the cached base image)
	tools/lab.sh down --inventory $(INVENTORY)

test: setup ## run every test: unit, differential, integration, sanity, lint, molecule scenarios
	tools/test.sh all

unit: setup ## pytest unit tests of module_utils and filters (no Ansible run)
	tools/test.sh unit

differential: setup ## go_env logic against the real `go env -w/-u`
	tools/test.sh differential

integration: setup ## go_env/go_env_info through ansible-playbook on real local users
	tools/test.sh integration

sanity: setup ## ansible-test sanity
	tools/test.sh sanity

lint: setup ## ansible-lint (production profile), argument_specs vs defaults
	tools/test.sh lint

molecule: setup ## every molecule scenario on lab hosts
	tools/test.sh molecule

bench-go-env: setup ## go_env for 1/20/200 users vs loops, lineinfile, `go env -w`; go_client (docs/benchmarks.md)
	bench/go_env/run.sh

bench-audit: setup ## the fleet audit and site.yml on 30- and 100-host labs (docs/benchmarks.md)
	bench/audit/run.sh

ha: setup ## the HA suite: inventories/lab-ha up, site.yml, tests/ha, lab removed
	tools/test.sh ha

bench-ha: setup ## benchmark 1, 2, 3 Athens replicas behind the LB vs a static file server (writes docs/benchmarks.md)
	bench/ha/run.sh

clean: lab-down ## remove per-clone build state (.cache); the machine-wide cache stays
	rm -rf .cache tests/output
