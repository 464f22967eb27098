CREATE TABLE "id_tags" (
	"id" serial PRIMARY KEY NOT NULL,
	"id_tag" text NOT NULL,
	"status" text DEFAULT 'Accepted' NOT NULL,
	"expiry_date" timestamp with time zone,
	"parent_id_tag" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "maintenance_status" (
	"station_id" text PRIMARY KEY NOT NULL,
	"diagnostics_status" text,
	"diagnostics_status_at" timestamp with time zone,
	"firmware_status" text,
	"firmware_status_at" timestamp with time zone,
	"log_status" text,
	"log_status_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"secret_hash" text NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_secretHash_unique" UNIQUE("secret_hash")
);
--> statement-breakpoint
CREATE TABLE "security_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"type" text NOT NULL,
	"tech_info" text,
	"timestamp" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"station_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"status" text NOT NULL,
	"error_code" text NOT NULL,
	"info" text,
	"vendor_id" text,
	"vendor_error_code" text,
	"status_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connectors_station_id_connector_id_pk" PRIMARY KEY("station_id","connector_id")
);
--> statement-breakpoint
CREATE TABLE "station_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"kind" text NOT NULL,
	"payload" jsonb NOT NULL,
	"timestamp" timestamp with time zone,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stations" (
	"id" text PRIMARY KEY NOT NULL,
	"registration" text NOT NULL,
	"vendor" text,
	"model" text,
	"serial_number" text,
	"charge_box_serial_number" text,
	"firmware_version" text,
	"iccid" text,
	"imsi" text,
	"meter_type" text,
	"meter_serial_number" text,
	"site_id" text,
	"time_zone" text,
	"password_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_boot_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "status_notifications" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"status" text NOT NULL,
	"error_code" text NOT NULL,
	"info" text,
	"vendor_id" text,
	"vendor_error_code" text,
	"timestamp" timestamp with time zone,
	"timestamp_raw" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meter_values" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"transaction_id" integer,
	"reported_transaction_id" integer,
	"sampled_at" timestamp with time zone NOT NULL,
	"sampled_at_raw" text,
	"received_at" timestamp with time zone NOT NULL,
	"source" text NOT NULL,
	"context" text,
	"format" text,
	"measurand" text NOT NULL,
	"phase" text,
	"location" text,
	"value" double precision,
	"unit" text NOT NULL,
	"raw_value" text NOT NULL,
	"raw_unit" text,
	CONSTRAINT "meter_values_sample_identity" UNIQUE NULLS NOT DISTINCT("station_id","connector_id","sampled_at","measurand","phase","location","context")
);
--> statement-breakpoint
CREATE TABLE "orphan_stops" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"reported_transaction_id" integer NOT NULL,
	"id_tag" text,
	"meter_stop_wh" bigint NOT NULL,
	"stopped_at" timestamp with time zone NOT NULL,
	"stopped_at_raw" text,
	"reason" text,
	"transaction_data" jsonb,
	"received_at" timestamp with time zone NOT NULL,
	"linked_transaction_id" integer,
	CONSTRAINT "orphan_stops_identity" UNIQUE("station_id","reported_transaction_id","stopped_at","meter_stop_wh")
);
--> statement-breakpoint
CREATE TABLE "transactions" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"id_tag" text NOT NULL,
	"id_tag_status" text NOT NULL,
	"reservation_id" integer,
	"started_at" timestamp with time zone NOT NULL,
	"started_at_raw" text,
	"start_received_at" timestamp with time zone NOT NULL,
	"meter_start_wh" bigint NOT NULL,
	"stopped_at" timestamp with time zone,
	"stopped_at_raw" text,
	"stop_received_at" timestamp with time zone,
	"meter_stop_wh" bigint,
	"stop_reason" text,
	"stop_id_tag" text,
	"stopped_by" text,
	"energy_wh" double precision,
	"flags" text[] DEFAULT '{}'::text[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "maintenance_status" ADD CONSTRAINT "maintenance_status_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connectors" ADD CONSTRAINT "connectors_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_events" ADD CONSTRAINT "station_events_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_notifications" ADD CONSTRAINT "status_notifications_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "transactions" ADD CONSTRAINT "transactions_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "id_tags_id_tag_ci" ON "id_tags" USING btree (lower("id_tag"));--> statement-breakpoint
CREATE INDEX "security_events_station_time" ON "security_events" USING btree ("station_id","timestamp");--> statement-breakpoint
CREATE INDEX "station_events_station_time" ON "station_events" USING btree ("station_id","kind","received_at");--> statement-breakpoint
CREATE INDEX "status_notifications_station_time" ON "status_notifications" USING btree ("station_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "status_notifications_retransmission" ON "status_notifications" USING btree ("station_id","connector_id","status","error_code","timestamp") WHERE "status_notifications"."timestamp" is not null;--> statement-breakpoint
CREATE INDEX "meter_values_transaction_time" ON "meter_values" USING btree ("transaction_id","sampled_at");--> statement-breakpoint
CREATE INDEX "meter_values_station_time" ON "meter_values" USING btree ("station_id","sampled_at");--> statement-breakpoint
CREATE UNIQUE INDEX "transactions_start_identity" ON "transactions" USING btree ("station_id","connector_id","id_tag","started_at","meter_start_wh");--> statement-breakpoint
CREATE INDEX "transactions_open_per_connector" ON "transactions" USING btree ("station_id","connector_id") WHERE "transactions"."stopped_at" is null;--> statement-breakpoint
CREATE INDEX "transactions_started_at" ON "transactions" USING btree ("started_at");