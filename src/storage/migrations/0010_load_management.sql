CREATE TABLE "building_load_reports" (
	"site_id" text PRIMARY KEY NOT NULL,
	"amps" double precision NOT NULL,
	"reported_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_circuit_stations" (
	"station_id" text PRIMARY KEY NOT NULL,
	"circuit_id" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_circuits" (
	"id" text PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"name" text NOT NULL,
	"limit_amps" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_priorities" (
	"id_tag" text PRIMARY KEY NOT NULL,
	"priority" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_snapshots" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"site_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"trigger" text NOT NULL,
	"limit_amps" double precision NOT NULL,
	"building_amps" double precision NOT NULL,
	"draw_amps" double precision,
	"allocated_amps" double precision NOT NULL,
	"sessions" jsonb NOT NULL,
	"worst_case" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "load_stations" (
	"station_id" text PRIMARY KEY NOT NULL,
	"max_current_amps" double precision,
	"profiles_rejected_at" timestamp with time zone,
	"rejected_profile" text,
	"fallback_amps" double precision,
	"fallback_sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "station_auth_settings" ADD COLUMN "charging_rate_units" text[];--> statement-breakpoint
ALTER TABLE "station_auth_settings" ADD COLUMN "charge_profile_max_stack_level" integer;--> statement-breakpoint
ALTER TABLE "station_auth_settings" ADD COLUMN "charging_schedule_max_periods" integer;--> statement-breakpoint
ALTER TABLE "station_auth_settings" ADD COLUMN "max_charging_profiles_installed" integer;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "grid_limit_kw" double precision;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "building_load_amps" double precision;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "building_load_worst_case_amps" double precision;--> statement-breakpoint
ALTER TABLE "building_load_reports" ADD CONSTRAINT "building_load_reports_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_circuit_stations" ADD CONSTRAINT "load_circuit_stations_circuit_id_load_circuits_id_fk" FOREIGN KEY ("circuit_id") REFERENCES "public"."load_circuits"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "load_circuits" ADD CONSTRAINT "load_circuits_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "load_circuits_site" ON "load_circuits" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "load_snapshots_site_at" ON "load_snapshots" USING btree ("site_id","at");