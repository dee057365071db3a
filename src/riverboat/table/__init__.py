"""Pure poker table runtime on pokerkit: seats, blinds, hands, clock, events and views."""
