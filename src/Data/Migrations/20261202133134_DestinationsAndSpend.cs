using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SmsRemarketing.Data.Migrations
{
    /// <inheritdoc />
    public partial class DestinationsAndSpend : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "allowed_countries",
                table: "clients",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<long>(
                name: "daily_credit_cap",
                table: "clients",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "daily_message_cap",
                table: "clients",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<List<string>>(
                name: "denied_number_types",
                table: "clients",
                type: "text[]",
                nullable: false,
                // The defaults as this migration knows them (not the code's list, which may change later).
                defaultValueSql: "'{premium_rate,shared_cost,uan,personal_number,pager,voicemail,non_geographic}'");

            migrationBuilder.AddColumn<string>(
                name: "home_country",
                table: "clients",
                type: "character varying(2)",
                maxLength: 2,
                nullable: false,
                // Every client so far sent to the US only (the service's Twilio geo permissions).
                defaultValue: "US");

            migrationBuilder.CreateTable(
                name: "destination_prices",
                columns: table => new
                {
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    credits_per_segment = table.Column<int>(type: "integer", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_destination_prices", x => x.country);
                    table.CheckConstraint("ck_destination_prices_country", "country ~ '^[A-Z]{2}$'");
                    table.CheckConstraint("ck_destination_prices_credits_per_segment", "credits_per_segment > 0");
                });

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_daily_caps",
                table: "clients",
                sql: "daily_message_cap >= 0 AND daily_credit_cap >= 0");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_home_country",
                table: "clients",
                sql: "home_country ~ '^[A-Z]{2}$'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "destination_prices");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_daily_caps",
                table: "clients");

            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_home_country",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "allowed_countries",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "daily_credit_cap",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "daily_message_cap",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "denied_number_types",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "home_country",
                table: "clients");
        }
    }
}
