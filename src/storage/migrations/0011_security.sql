CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor_kind" text NOT NULL,
	"actor" text NOT NULL,
	"role" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"params" jsonb,
	"outcome" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revoked_certificates" (
	"serial_number" text PRIMARY KEY NOT NULL,
	"station_id" text,
	"reason" text,
	"revoked_by" text NOT NULL,
	"revoked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "station_certificates" (
	"id" serial PRIMARY KEY NOT NULL,
	"station_id" text NOT NULL,
	"serial_number" text NOT NULL,
	"subject" text NOT NULL,
	"pem" text NOT NULL,
	"not_before" timestamp with time zone NOT NULL,
	"not_after" timestamp with time zone NOT NULL,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivery_status" text,
	"renewal_requested_at" timestamp with time zone,
	CONSTRAINT "station_certificates_serialNumber_unique" UNIQUE("serial_number")
);
--> statement-breakpoint
CREATE TABLE "station_password_rotations" (
	"station_id" text PRIMARY KEY NOT NULL,
	"previous_password_hash" text NOT NULL,
	"rotated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "created_by" text;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "security_profile" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "audit_log_at" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target" ON "audit_log" USING btree ("target","at");--> statement-breakpoint
CREATE INDEX "station_certificates_station" ON "station_certificates" USING btree ("station_id","not_after");