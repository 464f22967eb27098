CREATE TABLE "station_configuration_keys" (
	"station_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text,
	"readonly" boolean NOT NULL,
	"value_at" timestamp with time zone NOT NULL,
	"change_value" text,
	"change_status" text,
	"changed_at" timestamp with time zone,
	"changed_by" text,
	CONSTRAINT "station_configuration_keys_station_id_key_pk" PRIMARY KEY("station_id","key")
);
--> statement-breakpoint
CREATE TABLE "station_configurations" (
	"station_id" text PRIMARY KEY NOT NULL,
	"read_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	"unknown_keys" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reread_on_boot" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnostics_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"request_id" integer NOT NULL,
	"station_id" text NOT NULL,
	"filename" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"stored_as" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "diagnostics_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"token" text NOT NULL,
	"location" text NOT NULL,
	"start_time" timestamp with time zone,
	"stop_time" timestamp with time zone,
	"retries" integer,
	"retry_interval" integer,
	"outcome" text NOT NULL,
	"detail" text,
	"file_name" text,
	"status" text,
	"status_at" timestamp with time zone,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "firmware_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"filename" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"token" text NOT NULL,
	"stored_as" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"downloads" integer DEFAULT 0 NOT NULL,
	"last_downloaded_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "firmware_updates" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"firmware_id" integer NOT NULL,
	"location" text NOT NULL,
	"retrieve_date" timestamp with time zone NOT NULL,
	"retries" integer,
	"retry_interval" integer,
	"outcome" text NOT NULL,
	"detail" text,
	"status" text,
	"status_at" timestamp with time zone,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reservations" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"connector_id" integer NOT NULL,
	"id_tag" text NOT NULL,
	"parent_id_tag" text,
	"expiry_date" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"station_status" text,
	"detail" text,
	"transaction_id" integer,
	"requested_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "station_configuration_keys" ADD CONSTRAINT "station_configuration_keys_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "station_configurations" ADD CONSTRAINT "station_configurations_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnostics_files" ADD CONSTRAINT "diagnostics_files_request_id_diagnostics_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."diagnostics_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "diagnostics_requests" ADD CONSTRAINT "diagnostics_requests_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "firmware_updates" ADD CONSTRAINT "firmware_updates_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "firmware_updates" ADD CONSTRAINT "firmware_updates_firmware_id_firmware_files_id_fk" FOREIGN KEY ("firmware_id") REFERENCES "public"."firmware_files"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "station_configuration_keys_ci" ON "station_configuration_keys" USING btree ("station_id",lower("key"));--> statement-breakpoint
CREATE INDEX "diagnostics_files_request" ON "diagnostics_files" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "diagnostics_requests_token" ON "diagnostics_requests" USING btree ("token");--> statement-breakpoint
CREATE INDEX "diagnostics_requests_station" ON "diagnostics_requests" USING btree ("station_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "firmware_files_token" ON "firmware_files" USING btree ("token");--> statement-breakpoint
CREATE INDEX "firmware_updates_station" ON "firmware_updates" USING btree ("station_id","id");--> statement-breakpoint
CREATE INDEX "reservations_status_expiry" ON "reservations" USING btree ("status","expiry_date");--> statement-breakpoint
CREATE INDEX "reservations_station" ON "reservations" USING btree ("station_id","created_at");