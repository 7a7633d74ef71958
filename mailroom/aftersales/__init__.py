"""After-sales and customer relations: tickets, their deadlines, feedback and digests."""
