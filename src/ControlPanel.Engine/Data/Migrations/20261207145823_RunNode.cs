using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ControlPanel.Engine.Data.Migrations
{
    /// <inheritdoc />
    public partial class RunNode : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Node",
                table: "Runs",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Node",
                table: "Runs");
        }
    }
}
