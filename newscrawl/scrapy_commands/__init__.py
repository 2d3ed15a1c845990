"""Project commands for `scrapy` (COMMANDS_MODULE): they replace Scrapy's of the same name."""
