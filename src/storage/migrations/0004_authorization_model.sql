CREATE TABLE "forced_remote_starts" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"connector_id" integer,
	"id_tag" text NOT NULL,
	"refused_status" text NOT NULL,
	"requested_by" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "local_list_entries" (
	"station_id" text NOT NULL,
	"id_tag" text NOT NULL,
	"status" text NOT NULL,
	"expiry_date" timestamp with time zone,
	"parent_id_tag" text,
	CONSTRAINT "local_list_entries_station_id_id_tag_pk" PRIMARY KEY("station_id","id_tag")
);
--> statement-breakpoint
CREATE TABLE "local_list_states" (
	"station_id" text PRIMARY KEY NOT NULL,
	"version" integer,
	"sync_status" text,
	"detail" text,
	"checked_at" timestamp with time zone,
	"synced_at" timestamp with time zone,
	"cache_clear_pending" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "station_auth_settings" (
	"station_id" text PRIMARY KEY NOT NULL,
	"local_list_management" boolean,
	"local_auth_list_enabled" boolean,
	"local_auth_list_max_length" integer,
	"send_local_list_max_length" integer,
	"authorize_remote_tx_requests" boolean,
	"stop_transaction_on_invalid_id" boolean,
	"authorization_cache_enabled" boolean,
	"read_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "id_tags" ADD COLUMN "owner_name" text;--> statement-breakpoint
ALTER TABLE "id_tags" ADD COLUMN "max_concurrent_tx" integer;--> statement-breakpoint
ALTER TABLE "id_tags" ADD COLUMN "origin" text DEFAULT 'operator' NOT NULL;--> statement-breakpoint
CREATE INDEX "forced_remote_starts_open" ON "forced_remote_starts" USING btree ("station_id",lower("id_tag")) WHERE "forced_remote_starts"."used_at" is null;