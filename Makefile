# The two commands of the README: `make run` (the whole stack, no Docker) and `make test`.
.PHONY: run stop status test chaos bench abuse infra infra-stop migrate build check-compose

CHAOS_SENDS ?= 5000

run: ## PostgreSQL, RabbitMQ, migrations, the Twilio emulator (unless Twilio credentials are set) and the three services
	@scripts/stack.sh up

stop: ## stops everything `make run` started, and only that
	@scripts/stack.sh down

status:
	@scripts/stack.sh status

test: ## every test project against real PostgreSQL and RabbitMQ (started or reused)
	@scripts/test.sh

chaos: ## the fault scenarios (RabbitMQ down, kills, PostgreSQL restart and long outage, Twilio faults, duplicates, scale-out), each with a campaign, on a private stack
	@CHAOS_SENDS=$(CHAOS_SENDS) scripts/chaos.sh

bench: ## measurements on this machine, written to bench/results/latest.{md,json} (not part of make test)
	@scripts/bench.sh

abuse: ## a forged-key flood from one address against a tenant's reads, written to bench/results/abuse.{md,json} (not part of make test)
	@scripts/abuse.sh

infra: ## only PostgreSQL and RabbitMQ
	@scripts/infra.sh up

infra-stop:
	@scripts/infra.sh down

migrate: ## apply the EF Core migrations to the stack's database
	@scripts/stack.sh migrate

build:
	@dotnet build SmsRemarketing.sln -c Release --nologo -v quiet

check-compose: ## what can be checked of docker-compose.yml and the Dockerfile without a Docker engine
	@scripts/check-compose.sh
