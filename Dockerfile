# One image for every Radar process: gateway, Dagster code server, webserver and daemon.
FROM python:3.11-slim
WORKDIR /opt/radar
COPY pyproject.toml README.md ./
COPY radar_pipeline ./radar_pipeline
RUN pip install --no-cache-dir ".[deploy]" && useradd --create-home radar
COPY workspace.yaml dagster.yaml ./
COPY deploy ./deploy
ENV DAGSTER_HOME=/opt/dagster_home
RUN mkdir -p $DAGSTER_HOME && cp dagster.yaml $DAGSTER_HOME/ && chown -R radar $DAGSTER_HOME
USER radar
